# Installs Drover to a fresh prefix, builds plugins/example-upper against it
# the way an outside project would (find_package(Drover)), and runs one task
# through the example plugin with the installed worker.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -P outoftree.cmake
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
    if(NOT ${var})
        message(FATAL_ERROR "outoftree.cmake: ${var} is not set")
    endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
set(example "${WORK_DIR}/example")

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
    set(run_output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")
foreach(installed include/drover/taskkind.h lib/cmake/Drover/DroverConfig.cmake libexec/drover-worker
                  lib/drover/plugins/libdrover_proof.so bin/drover-check include/drover/testing.h
                  share/drover/examples/example-upper/CMakeLists.txt)
    if(NOT EXISTS "${prefix}/${installed}")
        message(FATAL_ERROR "the install lacks ${installed}")
    endif()
endforeach()

run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/plugins/example-upper" -B "${example}" -G Ninja
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build "${example}")
# The installed manager must find the installed worker by itself.
run(${CMAKE_COMMAND} -E env --unset=DROVER_WORKER --unset=DROVER_PLUGIN_PATH
    "${example}/upper-demo" hello out there)
if(NOT run_output MATCHES "feedback: HELLO" OR NOT run_output MATCHES "answer: HELLO OUT THERE")
    message(FATAL_ERROR "unexpected output from upper-demo:\n${run_output}")
endif()
message(STATUS "out-of-tree example ran:\n${run_output}")
file(REMOVE_RECURSE "${WORK_DIR}")

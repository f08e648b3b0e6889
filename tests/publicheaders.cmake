# The public headers are plain C++ and Qt: no POSIX-only header (unistd.h,
# sys/..., fcntl.h, signal.h ...) and no POSIX type (pid_t), so that the
# API an IDE or a plugin includes builds wherever Qt does (issue 17, 13).
# Standard headers such as <csignal> are fine.
#   cmake -DHEADERS_DIR=... -P publicheaders.cmake
if(NOT HEADERS_DIR)
    message(FATAL_ERROR "publicheaders.cmake: HEADERS_DIR is not set")
endif()
file(GLOB headers "${HEADERS_DIR}/*.h")
if(NOT headers)
    message(FATAL_ERROR "publicheaders.cmake: no header in ${HEADERS_DIR}")
endif()
set(found "")
foreach(header ${headers})
    file(STRINGS "${header}" lines)
    set(number 0)
    foreach(line IN LISTS lines)
        math(EXPR number "${number} + 1")
        if(line MATCHES "^[ \t]*#[ \t]*include[ \t]*<((sys/[^>]*)|unistd\\.h|fcntl\\.h|signal\\.h|pthread\\.h|dlfcn\\.h|poll\\.h|spawn\\.h)>"
           OR line MATCHES "(^|[^A-Za-z0-9_])pid_t([^A-Za-z0-9_]|$)")
            string(APPEND found "\n  ${header}:${number}: ${line}")
        endif()
    endforeach()
endforeach()
if(found)
    message(FATAL_ERROR "POSIX in the public headers:${found}")
endif()
list(LENGTH headers count)
message(STATUS "${count} public headers, none with a POSIX header or pid_t")

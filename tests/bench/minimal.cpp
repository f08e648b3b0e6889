// drover-bench-minimal: a bare QCoreApplication that starts and exits, the
// floor for starting a worker process.
#include <QtCore/QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    return 0;
}

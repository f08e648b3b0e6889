// drover-bench-idle SERVER: a bare QCoreApplication holding a connected
// QLocalSocket, the floor for an idle worker's memory. Prints "ready" once
// connected, then waits to be killed.
#include <QtCore/QCoreApplication>
#include <QtNetwork/QLocalSocket>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QLocalSocket socket;
    socket.setSocketOptions(QLocalSocket::AbstractNamespaceOption);
    socket.connectToServer(app.arguments().value(1));
    if (!socket.waitForConnected(10000))
        return 1;
    std::printf("ready\n");
    std::fflush(stdout);
    return app.exec();
}

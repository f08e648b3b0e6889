// drover-bench-idle SERVER: a bare QCoreApplication holding a connected
// QLocalSocket, the floor for an idle worker's memory. It says hello, waits
// for the answer, prints "ready" and then idles until it is killed.
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
    socket.write("hello\n");
    QObject::connect(&socket, &QLocalSocket::readyRead, &socket, [&socket] {
        socket.readAll();
        std::printf("ready\n");
        std::fflush(stdout);
    });
    QObject::connect(&socket, &QLocalSocket::disconnected, &app, &QCoreApplication::quit);
    return app.exec();
}

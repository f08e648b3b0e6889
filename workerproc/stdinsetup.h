#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

class QObject;

//! A remote worker's setup (docs/remote.md): its launcher (srun, ssh)
//! carries the manager's KEY=VALUE lines, ended by an empty line, on stdin,
//! so that neither argv nor the launcher's environment holds the secret.
namespace StdinSetup {

//! Reads the setup: every line but the secret goes into the environment
//! (as a local worker's would be set), the secret is returned. Empty, with
//! *error set, when stdin ends first or a line is malformed.
QByteArray read(QString *error);

//! From now on, the end of stdin (the launcher, or the manager behind it,
//! is gone) ends the worker and what its tasks started.
void watchForEnd(QObject *parent);

} // namespace StdinSetup

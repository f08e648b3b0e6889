#pragma once

#include "documentsession.h"

#include <memory>

namespace Drover { class Manager; }
namespace DroverDemo { class CoqDocController; }

namespace DroverLsp {

//! A .v file, checked sentence by sentence as drover-ide checks it: a
//! CoqDocController on the `coqdoc` queue of its own Manager (one
//! coqidetop per worker, with the flags of the nearest _CoqProject).
//! Coq's byte offsets become UTF-16 places through the controller's marks
//! (CoqTextPositions). A change drops the outcomes after it at once and
//! checks the text again once typing pauses, from the first changed sentence.
class CoqSession : public DocumentSession
{
    Q_OBJECT
public:
    CoqSession(const QString &path, const SessionSettings &settings, QObject *parent = nullptr);
    ~CoqSession() override;

    bool open(const QString &text, QString *error) override;
    void change(const QString &text, int firstChangedLine) override;
    QJsonArray diagnostics() const override;
    QString hover(TextPosition position) const override;
    int cancel(std::optional<int> line) override;
    int kill(std::optional<int> line) override;
    bool isSettled() const override;
    int doneCount() const override;
    int totalCount() const override;
    QJsonObject counts() const override;

private:
    void onProgressed();

    QString m_path;
    std::unique_ptr<Drover::Manager> m_manager;
    DroverDemo::CoqDocController *m_controller;
    bool m_wasSettled = false;
};

} // namespace DroverLsp

#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace CoqLib {

//! The files of a development and what each needs first, as coqdep says
//! (`A.vo A.glob ... : A.v B.vo C.vo`), with each file's rank: the longest
//! chain of work from it to the end of the graph, itself included. Building
//! the highest rank first keeps the critical path moving (Coq's set_order
//! idea).
class CoqGraph
{
public:
    struct Node
    {
        QString file;          //!< absolute path of the .v
        QList<int> needs;      //!< the nodes it depends on
        QList<int> neededBy;   //!< the nodes that depend on it
        qint64 weight = 1;     //!< its expected cost (ms, or bytes of source the first time)
        qint64 rank = 0;       //!< weight plus the heaviest chain of what needs it
    };

    //! The graph of `files` from coqdep's output. A dependency on a .vo
    //! that is none of the files is outside the development (built
    //! already, or coqc will say it is missing). nullopt with *error
    //! naming the files when they depend on each other in a cycle.
    static std::optional<CoqGraph> fromCoqdep(const QStringList &files, const QByteArray &output, QString *error);

    const QList<Node> &nodes() const { return m_nodes; }
    int indexOf(const QString &file) const { return m_index.value(file, -1); }
    //! Sets the weights (by file; the others keep theirs) and ranks again.
    void setWeights(const QHash<QString, qint64> &weights);

private:
    bool checkAcyclic(QString *error) const;
    void rank();

    QList<Node> m_nodes;
    QHash<QString, int> m_index;
};

} // namespace CoqLib

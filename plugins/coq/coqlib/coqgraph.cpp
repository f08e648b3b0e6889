#include "coqgraph.h"

#include <QtCore/QFileInfo>

#include <functional>

namespace CoqLib {

std::optional<CoqGraph> CoqGraph::fromCoqdep(const QStringList &files, const QByteArray &output, QString *error)
{
    CoqGraph graph;
    for (const QString &file : files) {
        if (graph.m_index.contains(file))
            continue;
        graph.m_index.insert(file, int(graph.m_nodes.size()));
        Node node;
        node.file = file;
        node.weight = std::max<qint64>(1, QFileInfo(file).size());
        graph.m_nodes << node;
    }
    for (const QByteArray &raw : output.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        const qsizetype colon = line.indexOf(QLatin1String(": "));
        if (colon < 0)
            continue;
        const QStringList targets = line.left(colon).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (targets.isEmpty() || !targets.first().endsWith(QLatin1String(".vo")))
            continue; // the .vio/.vos line says the same
        const QString source = targets.first().chopped(1); // A.vo -> A.v
        const int at = graph.indexOf(source);
        if (at < 0)
            continue;
        for (const QString &dep : line.mid(colon + 2).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (!dep.endsWith(QLatin1String(".vo")))
                continue;
            const int needed = graph.indexOf(dep.chopped(1));
            if (needed < 0 || needed == at || graph.m_nodes[at].needs.contains(needed))
                continue;
            graph.m_nodes[at].needs << needed;
            graph.m_nodes[needed].neededBy << at;
        }
    }
    if (!graph.checkAcyclic(error))
        return std::nullopt;
    graph.rank();
    return graph;
}

bool CoqGraph::checkAcyclic(QString *error) const
{
    // Depth first; a node met again while on the path closes a cycle.
    enum Mark { New, OnPath, Done };
    QList<Mark> marks(m_nodes.size(), New);
    QList<int> path;
    std::function<bool(int)> visit = [&](int n) {
        marks[n] = OnPath;
        path << n;
        for (int m : m_nodes.at(n).needs) {
            if (marks.at(m) == OnPath) {
                QStringList names;
                for (qsizetype i = path.indexOf(m); i < path.size(); ++i)
                    names << QFileInfo(m_nodes.at(path.at(i)).file).fileName();
                names << QFileInfo(m_nodes.at(m).file).fileName();
                *error = QStringLiteral("the files depend on each other in a cycle: %1").arg(names.join(QLatin1String(" -> ")));
                return false;
            }
            if (marks.at(m) == New && !visit(m))
                return false;
        }
        marks[n] = Done;
        path.removeLast();
        return true;
    };
    for (int n = 0; n < m_nodes.size(); ++n) {
        if (marks.at(n) == New && !visit(n))
            return false;
    }
    return true;
}

void CoqGraph::setWeights(const QHash<QString, qint64> &weights)
{
    for (Node &node : m_nodes) {
        if (auto it = weights.find(node.file); it != weights.end())
            node.weight = std::max<qint64>(1, *it);
    }
    rank();
}

void CoqGraph::rank()
{
    // rank(n) = weight(n) + max rank of what needs n; memoised, acyclic.
    QList<qint64> memo(m_nodes.size(), -1);
    std::function<qint64(int)> of = [&](int n) {
        if (memo.at(n) >= 0)
            return memo.at(n);
        qint64 best = 0;
        for (int m : m_nodes.at(n).neededBy)
            best = std::max(best, of(m));
        return memo[n] = m_nodes.at(n).weight + best;
    };
    for (int n = 0; n < m_nodes.size(); ++n)
        m_nodes[n].rank = of(n);
}

} // namespace CoqLib

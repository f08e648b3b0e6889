#include "stateicon.h"

#include <QtGui/QPainter>
#include <QtGui/QPainterPath>
#include <QtGui/QPixmap>

#include <cmath>
#include <numbers>

namespace DroverIde {

void paintStateIcon(QPainter *painter, const QRectF &rect, LemmaState state)
{
    const qreal side = std::min(rect.width(), rect.height());
    const QRectF box(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side);
    const QRectF inner = box.adjusted(side * 0.1, side * 0.1, -side * 0.1, -side * 0.1);
    const QColor color = markColor(state);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen(color, std::max(1.5, side / 7), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    auto at = [&](qreal x, qreal y) { return QPointF(inner.left() + x * inner.width(), inner.top() + y * inner.height()); };

    switch (state) {
    case LemmaState::Edited:
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        painter->drawEllipse(box.center(), side * 0.15, side * 0.15);
        break;
    case LemmaState::Queued:
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(inner.adjusted(side * 0.08, side * 0.08, -side * 0.08, -side * 0.08));
        break;
    case LemmaState::Checking: {
        // A half-filled disc: work in progress.
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(inner);
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        painter->drawPie(inner, 90 * 16, 180 * 16);
        break;
    }
    case LemmaState::UpToDate:
        // The tick, paler, on a disc: ok from an earlier build.
        painter->setPen(Qt::NoPen);
        painter->setBrush(tintColor(LemmaState::Ok).darker(108));
        painter->drawEllipse(inner);
        [[fallthrough]];
    case LemmaState::Ok: {
        QPainterPath tick;
        tick.moveTo(at(0.08, 0.55));
        tick.lineTo(at(0.38, 0.85));
        tick.lineTo(at(0.92, 0.18));
        pen.setWidthF(std::max(2.0, side / 5));
        painter->setPen(pen);
        painter->drawPath(tick);
        break;
    }
    case LemmaState::Error:
        pen.setWidthF(std::max(2.0, side / 5));
        painter->setPen(pen);
        painter->drawLine(at(0.15, 0.15), at(0.85, 0.85));
        painter->drawLine(at(0.85, 0.15), at(0.15, 0.85));
        break;
    case LemmaState::Crashed: {
        // A filled octagon with a bar: the worker stopped dead.
        QPolygonF octagon;
        for (int i = 0; i < 8; ++i) {
            const qreal a = (i * 45.0 + 22.5) * std::numbers::pi / 180.0;
            octagon << QPointF(box.center().x() + std::cos(a) * inner.width() / 2,
                               box.center().y() + std::sin(a) * inner.height() / 2);
        }
        painter->setPen(Qt::NoPen);
        painter->setBrush(color);
        painter->drawPolygon(octagon);
        painter->setPen(QPen(Qt::white, std::max(1.5, side / 7), Qt::SolidLine, Qt::RoundCap));
        painter->drawLine(at(0.3, 0.5), at(0.7, 0.5));
        break;
    }
    case LemmaState::Timeout:
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(inner);
        painter->drawLine(box.center(), at(0.5, 0.2));
        painter->drawLine(box.center(), at(0.75, 0.5));
        break;
    case LemmaState::Cancelled:
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(inner);
        painter->drawLine(at(0.2, 0.8), at(0.8, 0.2));
        break;
    case LemmaState::Skipped:
        // A dashed circle with an arrow through it: passed over.
        pen.setStyle(Qt::DotLine);
        painter->setPen(pen);
        painter->setBrush(Qt::NoBrush);
        painter->drawEllipse(inner);
        pen.setStyle(Qt::SolidLine);
        painter->setPen(pen);
        painter->drawLine(at(0.15, 0.5), at(0.85, 0.5));
        painter->drawLine(at(0.6, 0.28), at(0.85, 0.5));
        painter->drawLine(at(0.6, 0.72), at(0.85, 0.5));
        break;
    }
    painter->restore();
}

QIcon stateIcon(LemmaState state)
{
    QIcon icon;
    for (int size : {16, 24, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paintStateIcon(&painter, QRectF(0, 0, size, size), state);
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace DroverIde

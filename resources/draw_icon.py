"""Draws the app icon (resources/tracker.png, .ico, .icns) with Qt: run from the repo root,
`QT_QPA_PLATFORM=offscreen .venv/bin/python resources/draw_icon.py`."""

import sys
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen, QImageWriter
app = QGuiApplication(sys.argv)
S = 512
img = QImage(S, S, QImage.Format.Format_ARGB32)
img.fill(Qt.GlobalColor.transparent)
p = QPainter(img)
p.setRenderHint(QPainter.RenderHint.Antialiasing)
p.setBrush(QColor("#1d2939")); p.setPen(Qt.PenStyle.NoPen)
p.drawRoundedRect(QRectF(16, 16, S - 32, S - 32), 96, 96)
c = QPointF(S / 2, S / 2)
p.setBrush(QColor("#f2f4f7")); p.setPen(QPen(QColor("#d0a85c"), 22))
p.drawEllipse(c, 170, 170)
p.setPen(QPen(QColor("#1d2939"), 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
import math
for i in range(12):
    a = math.radians(i * 30)
    r1, r2 = (128, 150) if i % 3 else (112, 150)
    p.drawLine(QPointF(c.x() + r1 * math.sin(a), c.y() - r1 * math.cos(a)), QPointF(c.x() + r2 * math.sin(a), c.y() - r2 * math.cos(a)))
p.setPen(QPen(QColor("#1d2939"), 18, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
p.drawLine(c, QPointF(c.x() - 60, c.y() - 70))
p.setPen(QPen(QColor("#1d2939"), 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
p.drawLine(c, QPointF(c.x() + 95, c.y() - 60))
p.setBrush(QColor("#d0a85c")); p.setPen(Qt.PenStyle.NoPen); p.drawEllipse(c, 16, 16)
p.end()
img.save("resources/tracker.png")

img.scaled(256, 256, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation).save("resources/tracker.ico")
ok = img.save("resources/tracker.icns")
assert ok, "this Qt cannot write .icns"

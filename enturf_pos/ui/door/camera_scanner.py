"""The optional camera (objectName ``cameraButton``, a toggle, only when Qt lists a camera):
QCamera frames through a QVideoSink, a few a second decoded for QR codes with zxing-cpp on
the task runner, never on the UI thread. A code stays read while it is held in front of
the camera: the same code again is ignored for a few seconds."""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel

from enturf_pos.ui.door.verdict_sounds import _multimedia
from enturf_pos.ui.task_runner import TaskRunner

log = logging.getLogger(__name__)

FRAME_INTERVAL = 0.25  # seconds between decoded frames: 4 a second
SAME_CODE_PAUSE = 3.0  # seconds before the same code counts again
PREVIEW_WIDTH = 240


def grey_pixels(image: QImage) -> memoryview:
    """`image` as rows of 8-bit grey pixels with no padding at the rows' ends (zxing-cpp
    reads a buffer of shape (height, width))."""
    width = image.width() - image.width() % 4  # 8-bit rows are 4-byte aligned in a QImage
    grey = image.copy(0, 0, width, image.height()).convertToFormat(QImage.Format.Format_Grayscale8)
    return memoryview(bytes(grey.constBits())).cast("B", (grey.height(), grey.width()))


def decode(image: QImage) -> list[str]:
    """The QR codes' texts in `image` (worker thread)."""
    import zxingcpp

    found = zxingcpp.read_barcodes(grey_pixels(image), formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found if code.valid and code.text]


def camera_devices() -> list[Any]:
    multimedia = _multimedia()
    return list(multimedia.QMediaDevices.videoInputs()) if multimedia is not None else []


class CameraScanner(QObject):
    scanned = Signal(str)
    failed = Signal(str)  # why the camera stopped

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._camera: Any = None
        self._session: Any = None
        self._sink: Any = None
        self._busy = False
        self._last_frame = 0.0
        self._last_code = ("", 0.0)
        self.preview = QLabel(objectName="cameraPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.hide()

    @property
    def running(self) -> bool:
        return self._camera is not None

    def start(self) -> bool:
        multimedia = _multimedia()
        devices = camera_devices()
        if multimedia is None or not devices or self.running:
            return self.running
        self._camera = multimedia.QCamera(devices[0], self)
        self._sink = multimedia.QVideoSink(self)
        self._session = multimedia.QMediaCaptureSession(self)
        self._session.setCamera(self._camera)
        self._session.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._frame)
        self._camera.errorOccurred.connect(self._error)
        self._camera.start()
        self.preview.show()
        return True

    def stop(self) -> None:
        if self._camera is not None:
            self._camera.stop()
            for part in (self._sink, self._session, self._camera):
                part.deleteLater()
        self._camera = self._session = self._sink = None
        self.preview.clear()
        self.preview.hide()

    def _error(self, _error: Any, text: str) -> None:
        log.warning("camera: %s", text)
        self.stop()
        self.failed.emit(text or "The camera stopped.")

    def _frame(self, frame: Any) -> None:
        now = time.monotonic()
        if self._busy or now - self._last_frame < FRAME_INTERVAL or not frame.isValid():
            return
        self._last_frame = now
        image = frame.toImage()
        if image.isNull():
            return
        self.preview.setPixmap(
            QPixmap.fromImage(
                image.scaledToWidth(PREVIEW_WIDTH, Qt.TransformationMode.FastTransformation)
            )
        )
        frame_image = image.copy()  # the worker's own (a frame's memory is the camera's)
        self._busy = True
        self._runner.run(lambda: decode(frame_image), self._decoded, self._decode_failed)

    def _decode_failed(self, _exc: Exception) -> None:
        self._busy = False

    def _decoded(self, codes: list[str]) -> None:
        self._busy = False
        if not codes or not self.running:
            return
        code, now = codes[0], time.monotonic()
        last, at = self._last_code
        if code == last and now - at < SAME_CODE_PAUSE:
            return
        self._last_code = (code, now)
        self.scanned.emit(code)

"""The door's optional parts on a machine without them: no camera, no button; no sound
output (or no Qt Multimedia backend), silence and no error. The camera's decoding itself
(zxing-cpp reading a QImage, the same code held in front of it counted once), a frame
through the window to its verdict, and printed ticket PDFs read by the same decoder are
checked without a camera."""

from __future__ import annotations

import io
import wave
from importlib.resources import files

import qrcode
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton
from support.door_window import STEWARD

from enturf_pos.ui.door import camera_scanner
from enturf_pos.ui.door.camera_scanner import CameraScanner, decode
from enturf_pos.ui.door.verdict_sounds import COLOURS, VerdictSounds
from enturf_pos.ui.task_runner import TaskRunner

CODE = "v1.someKeyId.eyJlIjo0MH0.c2lnbmF0dXJl"


def qr_image(text: str) -> QImage:
    buffer = io.BytesIO()
    qrcode.make(text).save(buffer, format="PNG")
    image = QImage()
    assert image.loadFromData(buffer.getvalue())
    return image


def test_a_qr_code_in_a_frame_is_decoded_and_the_same_code_counts_once(qtbot):
    assert decode(qr_image(CODE)) == [CODE]
    assert decode(QImage(64, 64, QImage.Format.Format_Grayscale8)) == []

    runner = TaskRunner()
    scanner = CameraScanner(runner)
    scanner._camera = object()  # as if running: only the decoded codes' handling is tested
    seen: list[str] = []
    scanner.scanned.connect(seen.append)
    scanner._decoded([CODE])
    scanner._decoded([CODE])  # held in front of the camera: the next frames see it again
    scanner._decoded(["v1.other"])
    assert seen == [CODE, "v1.other"]
    scanner._camera = None
    runner.shutdown()


def test_without_a_camera_there_is_no_camera_button(qtbot, open_door, monkeypatch):
    monkeypatch.setattr(camera_scanner, "camera_devices", lambda: [])
    window = open_door(STEWARD)
    assert not window.findChild(QPushButton, "cameraButton").isVisible()


def test_the_verdict_sounds_are_short_wav_files_and_silence_is_no_error(qtbot):
    for colour in COLOURS:
        data = files("resources").joinpath("sounds", f"{colour}.wav").read_bytes()
        with wave.open(io.BytesIO(data)) as sound:
            assert sound.getnchannels() == 1 and sound.getnframes() > 0
            assert sound.getnframes() / sound.getframerate() < 1  # a beep, not a tune
    sounds = VerdictSounds()
    for colour in (*COLOURS, "waiting"):
        sounds.play(colour)  # no audio output here (or no backend): nothing, no error


def test_printed_tickets_are_read_by_the_doors_decoder(qtbot, tmp_path):
    """The QR codes of a ticket PDF as the counter prints it (2 x 5.5 in stock), rendered
    and decoded by the camera's decoder: `python -m enturf_demo.ticket_codes` of the demo."""
    import uuid
    from datetime import UTC, datetime
    from decimal import Decimal

    from enturf_core.money import Money
    from enturf_core.ticket_codes import SigningKey, TicketPayload, sign
    from enturf_core.ticket_pdf import Place, TicketDocument, render_ticket_stock
    from enturf_demo.ticket_codes import codes_in, main

    key = SigningKey.generate()
    codes = [sign(TicketPayload(str(uuid.uuid4()), 7, seat_id=n), key) for n in (11, 12)]
    tickets = [
        TicketDocument(
            event_name="Hamlet",
            starts_at=datetime(2026, 12, 9, 19, 30, tzinfo=UTC),
            venue_name="Theatre Royal",
            place=Place(section="Stalls", row="3", seat=str(n)),
            ticket_name="Adult",
            price=Money(Decimal("45.00"), "EUR"),
            booking_code="B7K2Q",
            code=code,
        )
        for n, code in enumerate(codes, start=11)
    ]
    pdf = tmp_path / "tickets.pdf"
    pdf.write_bytes(render_ticket_stock(tickets))
    assert codes_in(pdf) == codes
    assert main([str(tmp_path / "missing.pdf")]) == 1


class _Frame:
    """What the camera's video sink hands over (QVideoFrame: valid, and an image); this
    machine has no camera nor Qt Multimedia backend, so the frame is stood in for."""

    def __init__(self, image: QImage) -> None:
        self._image = image

    def isValid(self) -> bool:
        return True

    def toImage(self) -> QImage:
        return self._image


def test_a_ticket_held_to_the_camera_is_scanned_by_the_window_once(qtbot, ctx, door, open_door):
    from support.door_window import WAIT, sold, verdict

    window = open_door(STEWARD)
    code = sold(ctx, door, seat=3)
    camera = window.camera
    camera._camera = object()  # as if running: frames arrive through _frame
    try:
        camera._frame(_Frame(qr_image(code)))  # decoded on the window's runner
        qtbot.waitUntil(lambda: window.scans.last is not None, timeout=WAIT)
        qtbot.waitUntil(lambda: window.scans.pending == 0, timeout=WAIT)
        assert verdict(window)["colour"] == "green"
        assert not camera.preview.pixmap().isNull()  # the frame is shown beside the scans
        first = window.scans.last
        camera._last_frame = 0.0
        camera._frame(_Frame(qr_image(code)))  # still held in front of it: not again
        qtbot.waitUntil(lambda: not camera._busy, timeout=WAIT)
        assert window.scans.last is first and verdict(window)["colour"] == "green"
    finally:
        camera._camera = None

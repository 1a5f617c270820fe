"""Printable documents: the ticket (with a segno QR code of the ticket code, which the check-in
page reads) and the invoice of an unpaid (or paid) order. Drawn with ReportLab, one page each."""

from __future__ import annotations

import io
from decimal import Decimal

import segno
from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from ..models import Event, Order, OrderStatus, Registration
from .calendars import event_when

ISSUER = "Townsquare"
BRAND = colors.HexColor("#1f4e79")


def _fit(text: str, font: str, size: float, width: float) -> float:
    while size > 8 and stringWidth(text, font, size) > width:
        size -= 1
    return size


def _shorten(text: str, font: str, size: float, width: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _draw_qr(pdf: canvas.Canvas, data: str, *, x: float, y: float, size: float) -> None:
    """The QR code module by module, as vector squares (sharp when printed)."""
    qr = segno.make(data, error="m")
    rows = list(qr.matrix_iter(scale=1, border=4))
    module = size / len(rows)
    pdf.setFillColor(colors.white)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillColor(colors.black)
    for row_number, row in enumerate(rows):
        for column_number, is_dark in enumerate(row):
            if is_dark:
                top = y + size - (row_number + 1) * module
                pdf.rect(x + column_number * module, top, module, module, stroke=0, fill=1)


def ticket_qr_svg(registration: Registration) -> str:
    """The ticket's QR code as inline SVG for the registration page (holds the code only)."""
    qr = segno.make(registration.ticket_code, error="m")
    return str(qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", omitsize=False))


def _where(event: Event) -> str:
    if event.venue_name or event.venue_address:
        return ", ".join(
            part for part in (event.venue_name, " ".join(event.venue_address.split())) if part
        )
    return "Online" if event.is_online else ""


def ticket_pdf(registration: Registration) -> bytes:
    event = registration.event
    width, height = letter
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter)
    pdf.setTitle(f"Ticket: {event.title} — {registration.attendee.display_name}")
    pdf.setAuthor(ISSUER)
    pdf.setSubject(f"Ticket code {registration.ticket_code}")
    left, text_width = 0.9 * inch, width - 1.8 * inch
    top = height - 0.9 * inch

    pdf.setStrokeColor(BRAND)
    pdf.setLineWidth(2)
    pdf.roundRect(0.6 * inch, height - 6.4 * inch, width - 1.2 * inch, 5.8 * inch, 12)
    pdf.setFillColor(BRAND)
    pdf.setFont("Helvetica", 12)
    pdf.drawString(left, top - 0.1 * inch, f"{ISSUER} · Ticket")
    size = _fit(event.title, "Helvetica-Bold", 24, text_width)
    pdf.setFont("Helvetica-Bold", size)
    pdf.drawString(left, top - 0.6 * inch, event.title)
    pdf.setFillColor(colors.black)
    lines = [
        ("Attendee", registration.attendee.display_name),
        ("Ticket", registration.ticket_type.name),
        ("When", event_when(event)),
        ("Where", _where(event)),
        ("Order", registration.order.reference),
    ]
    y = top - 1.2 * inch
    for label, value in lines:
        if not value:
            continue
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(left, y, label)
        pdf.setFont("Helvetica", 11)
        pdf.drawString(left + 0.9 * inch, y, _shorten(value, "Helvetica", 11, 3.6 * inch))
        y -= 0.32 * inch
    qr_size = 2.3 * inch
    _draw_qr(
        pdf,
        registration.ticket_code,
        x=width - 0.9 * inch - qr_size,
        y=top - 0.9 * inch - qr_size,
        size=qr_size,
    )
    pdf.setFont("Courier-Bold", 14)
    pdf.drawString(left, height - 5.3 * inch, f"Ticket code: {registration.ticket_code}")
    pdf.setFont("Helvetica", 10)
    pdf.drawString(
        left,
        height - 5.65 * inch,
        "Show the QR code at the door, or tell the organizers the code.",
    )
    pdf.drawString(
        left,
        height - 5.95 * inch,
        "This ticket is personal. Transferred tickets get a new code; the old one stops working.",
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def invoice_pdf(order: Order) -> bytes:
    """The invoice of ``order`` (which has an invoice number): lines per attendee and totals."""
    event = order.event
    width, height = letter
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter)
    pdf.setTitle(f"Invoice {order.invoice_number}")
    pdf.setAuthor(ISSUER)
    left, right = 0.9 * inch, width - 0.9 * inch
    y = height - 1.0 * inch
    pdf.setFillColor(BRAND)
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawString(left, y, "Invoice")
    pdf.setFont("Helvetica", 11)
    pdf.drawRightString(right, y, ISSUER)
    pdf.drawRightString(right, y - 0.2 * inch, settings.SITE_URL)
    pdf.setFillColor(colors.black)
    y -= 0.6 * inch
    issued = timezone.localtime(order.created_at)
    facts = [
        ("Invoice number", order.invoice_number or ""),
        ("Order reference", order.reference),
        ("Issued", f"{issued:%d %B %Y}"),
        ("Due", f"{order.invoice_due_on:%d %B %Y}" if order.invoice_due_on else ""),
        ("Billed to", order.buyer.display_name + f" <{order.buyer.email}>"),
        ("Organization", order.organization.name if order.organization else ""),
        ("Status", order.get_status_display()),
    ]
    for label, value in facts:
        if not value:
            continue
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(left, y, label)
        pdf.setFont("Helvetica", 10)
        pdf.drawString(left + 1.4 * inch, y, _shorten(value, "Helvetica", 10, 5 * inch))
        y -= 0.25 * inch
    y -= 0.25 * inch
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(left, y, _shorten(event.title, "Helvetica-Bold", 12, right - left))
    y -= 0.22 * inch
    pdf.setFont("Helvetica", 10)
    pdf.drawString(left, y, event_when(event))
    y -= 0.4 * inch
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(left, y, "Attendee")
    pdf.drawString(left + 3.0 * inch, y, "Ticket")
    pdf.drawRightString(right, y, "Price")
    pdf.line(left, y - 0.08 * inch, right, y - 0.08 * inch)
    y -= 0.3 * inch
    pdf.setFont("Helvetica", 10)
    registrations = list(
        order.registrations.select_related("attendee", "ticket_type").order_by("pk")
    )
    for registration in registrations:
        if y < 1.6 * inch:
            pdf.showPage()
            y = height - 1.0 * inch
            pdf.setFont("Helvetica", 10)
        name = registration.attendee.display_name
        if registration.status == "cancelled":
            name += " (cancelled)"
        pdf.drawString(left, y, _shorten(name, "Helvetica", 10, 2.9 * inch))
        pdf.drawString(
            left + 3.0 * inch,
            y,
            _shorten(registration.ticket_type.name, "Helvetica", 10, 2.2 * inch),
        )
        pdf.drawRightString(right, y, _money(registration.ticket_type.price, order.currency))
        y -= 0.24 * inch
    pdf.line(left, y + 0.1 * inch, right, y + 0.1 * inch)
    y -= 0.15 * inch
    totals = [("Subtotal", order.subtotal)]
    if order.discount_total:
        code = f" ({order.discount_code.code})" if order.discount_code else ""
        totals.append((f"Discount{code}", -order.discount_total))
    totals.append(("Total", order.total))
    for label, amount in totals:
        pdf.setFont("Helvetica-Bold" if label == "Total" else "Helvetica", 11)
        pdf.drawString(right - 3.0 * inch, y, label)
        pdf.drawRightString(right, y, _money(amount, order.currency))
        y -= 0.26 * inch
    y -= 0.3 * inch
    pdf.setFont("Helvetica", 10)
    if order.status == OrderStatus.PAID and order.paid_at:
        paid = timezone.localtime(order.paid_at)
        pdf.drawString(left, y, f"Paid on {paid:%d %B %Y}. Thank you.")
    elif order.status == OrderStatus.CANCELLED:
        pdf.drawString(left, y, "This order was cancelled; nothing is due.")
    else:
        pdf.drawString(
            left,
            y,
            f"Please pay by the due date, quoting the invoice number {order.invoice_number}.",
        )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()

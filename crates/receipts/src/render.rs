//! Layout of the three documents on A4 with printpdf: header, title, a table of facts,
//! notices, signature lines and the verification QR. Text is measured with the embedded
//! font's advance widths and wrapped to its column, so long names never overflow.

use crate::payload::QrPayload;
use crate::receipt::{Receipt, ReceiptKind};
use crate::text::{self, Words};
use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

const DEJAVU_SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

/// How a document is laid out. Sizes in millimetres and points; A4 portrait.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptStyle {
    /// Left and right margin.
    pub margin_mm: f32,
    /// Top margin (the footer has its own band at the bottom).
    pub top_margin_mm: f32,
    /// Body text size (table, notices).
    pub body_pt: f32,
    /// Title size.
    pub title_pt: f32,
    /// Width of the label column of the table of facts.
    pub label_column_mm: f32,
    /// Side of the QR code including its quiet zone.
    pub qr_size_mm: f32,
}

impl Default for ReceiptStyle {
    fn default() -> Self {
        ReceiptStyle {
            margin_mm: 18.0,
            top_margin_mm: 14.0,
            body_pt: 10.0,
            title_pt: 15.0,
            label_column_mm: 62.0,
            qr_size_mm: 32.0,
        }
    }
}

struct Face {
    parsed: ParsedFont,
    units_per_em: f32,
}

struct Fonts {
    regular: Face,
    bold: Face,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts {
    regular: Face::load(DEJAVU_SANS),
    bold: Face::load(DEJAVU_SANS_BOLD),
});

impl Face {
    fn load(bytes: &[u8]) -> Face {
        // The bytes are compiled in; a test renders every document, so a font that
        // does not parse fails the build's tests, never a clerk's print.
        let parsed =
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("embedded DejaVu font parses");
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
        Face {
            parsed,
            units_per_em,
        }
    }

    /// Advance width of `text` at `size_pt`, in millimetres.
    fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                let gid = self.parsed.lookup_glyph_index(u32::from(c)).unwrap_or(0);
                u32::from(self.parsed.get_horizontal_advance(gid))
            })
            .sum();
        units as f32 / self.units_per_em * size_pt / PT_PER_MM
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Align {
    Left,
    Center,
}

fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: level,
        icc_profile: None,
    })
}

fn red() -> Color {
    Color::Rgb(Rgb {
        r: 0.72,
        g: 0.08,
        b: 0.08,
        icc_profile: None,
    })
}

/// Renders a validated receipt to PDF bytes. The same receipt and style give the same bytes.
pub fn render(receipt: &Receipt, style: &ReceiptStyle) -> Vec<u8> {
    let fonts = &*FONTS;
    let w = text::words(receipt.lang);
    let mut doc = PdfDocument::new(title(receipt.kind.clone(), w));
    // Fixed resource names instead of random ids: identical input, identical bytes.
    let regular_id = FontId("F1".to_string());
    let bold_id = FontId("F2".to_string());
    doc.resources.fonts.map.insert(
        regular_id.clone(),
        printpdf::PdfFont::new(fonts.regular.parsed.clone()),
    );
    doc.resources.fonts.map.insert(
        bold_id.clone(),
        printpdf::PdfFont::new(fonts.bold.parsed.clone()),
    );
    doc.metadata.info.document_title =
        format!("{} {}", title(receipt.kind.clone(), w), receipt.number);
    doc.metadata.info.creator = "Qabyldau".to_string();
    doc.metadata.info.producer = "Qabyldau receipts (printpdf)".to_string();

    let mut page = Layout {
        fonts,
        regular_id,
        bold_id,
        style,
        pages: vec![Vec::new()],
        y: style.top_margin_mm,
        bottom: PAGE_H - 14.0,
    };
    lay_out(&mut page, receipt, w);

    let count = page.pages.len();
    let footer_y = PAGE_H - 9.0;
    let mut pages = Vec::with_capacity(count);
    for (i, mut ops) in std::mem::take(&mut page.pages).into_iter().enumerate() {
        let mut footer = format!(
            "Qabyldau · {} · {} {}/{}",
            receipt.number,
            w.page,
            i + 1,
            count
        );
        if receipt.is_provisional() {
            footer = format!("{} · {footer}", w.provisional_banner);
        }
        page.draw_text(
            &mut ops,
            style.margin_mm,
            footer_y,
            &footer,
            Weight::Regular,
            7.5,
            grey(0.45),
        );
        pages.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
    }
    doc.with_pages(pages);
    with_content_id(doc.save(&PdfSaveOptions::default(), &mut Vec::new()))
}

/// printpdf writes a random trailer `/ID`; it is replaced, in place and with the same
/// length, by a digest of the document, so the same receipt always gives the same bytes
/// (a reprint is the identical file). The trailer follows every object, so no offset moves.
fn with_content_id(mut pdf: Vec<u8>) -> Vec<u8> {
    const MARK: &[u8] = b"/ID[(";
    const LEN: usize = 32;
    let Some(at) = pdf.windows(MARK.len()).rposition(|w| w == MARK) else {
        return pdf;
    };
    let first = at + MARK.len();
    let second = first + LEN + 2;
    if pdf.len() < second + LEN || &pdf[first + LEN..second] != b")(" {
        return pdf;
    }
    let digest = Sha256::digest(&pdf[..at]);
    let id = crate::receipt::to_hex(&digest[..LEN / 2]).to_uppercase();
    pdf[first..first + LEN].copy_from_slice(id.as_bytes());
    pdf[second..second + LEN].copy_from_slice(id.as_bytes());
    pdf
}

fn title(kind: ReceiptKind, w: &Words) -> &'static str {
    match kind {
        ReceiptKind::Acceptance => w.acceptance_title,
        ReceiptKind::Documents => w.documents_title,
        ReceiptKind::Rejection(_) => w.rejection_title,
    }
}

fn lay_out(l: &mut Layout, r: &Receipt, w: &Words) {
    let m = l.style.margin_mm;
    let content_w = PAGE_W - 2.0 * m;
    let body = l.style.body_pt;

    // Header: the school, as on the school's letterhead.
    l.paragraph(
        &r.school.name,
        Weight::Bold,
        body + 2.0,
        m,
        content_w,
        Align::Center,
        grey(0.0),
    );
    l.paragraph(
        &r.school.address,
        Weight::Regular,
        body - 1.0,
        m,
        content_w,
        Align::Center,
        grey(0.25),
    );
    l.y += 2.0;
    l.rule(m, content_w, 0.8);
    l.y += 5.0;

    if r.is_provisional() {
        l.provisional_box(
            &text::provisional_notice(r.lang, &r.number),
            w.provisional_banner,
            m,
            content_w,
        );
        l.y += 4.0;
    }

    l.paragraph(
        title(r.kind.clone(), w),
        Weight::Bold,
        l.style.title_pt,
        m,
        content_w,
        Align::Center,
        grey(0.0),
    );
    l.paragraph(
        &format!("№ {} · {}", r.number, text::date(r.decided_at.date())),
        Weight::Regular,
        body + 1.0,
        m,
        content_w,
        Align::Center,
        grey(0.2),
    );
    l.y += 4.0;

    // The table of facts.
    let decided = match r.kind {
        ReceiptKind::Acceptance => w.decision_accepted,
        ReceiptKind::Documents => w.decision_documents,
        ReceiptKind::Rejection(_) => w.decision_rejected,
    };
    let mut rows: Vec<(&str, String)> = vec![
        (w.number, r.number.to_string()),
        (
            if r.kind == ReceiptKind::Documents {
                w.status
            } else {
                w.decision
            },
            decided.to_string(),
        ),
    ];
    if r.kind == ReceiptKind::Documents {
        rows.push((w.submission_way, w.submission_on_behalf.to_string()));
    }
    if let ReceiptKind::Rejection(reason) = &r.kind {
        rows.push((w.reason, reason.code().label(r.lang).to_string()));
        if let Some(t) = reason.text() {
            rows.push((w.reason_text, t.to_string()));
        }
    }
    rows.extend([
        (w.child, r.child.name.display()),
        (w.child_iin, r.child.iin.to_string()),
        (w.birth_date, text::date(r.child.birth_date())),
        (w.applicant, r.applicant.name.display()),
        (w.applicant_iin, r.applicant.iin.to_string()),
        (w.phone, r.applicant.phone.display()),
        (w.class, r.grade.get().to_string()),
        (
            w.language,
            r.language_of_instruction.label(r.lang).to_string(),
        ),
        (
            if r.kind == ReceiptKind::Documents {
                w.submitted_at
            } else {
                w.decided_at
            },
            text::date_time(r.decided_at),
        ),
        (
            if r.kind == ReceiptKind::Documents {
                w.clerk_registered
            } else {
                w.clerk_decided
            },
            r.clerk.name.to_string(),
        ),
        (w.clerk_iin, r.clerk.iin.to_string()),
    ]);
    for (label, value) in &rows {
        let weight = if *label == w.reason_text {
            Weight::Regular
        } else {
            Weight::Bold
        };
        l.table_row(label, value, weight, m, content_w);
    }
    l.y += 5.0;

    // The documents.
    let heading = match r.kind {
        ReceiptKind::Acceptance => w.documents_received,
        ReceiptKind::Documents => w.documents_attached,
        ReceiptKind::Rejection(_) => w.documents_presented,
    };
    l.keep_with_next(body * 3.0 / PT_PER_MM * 1.4);
    l.paragraph(
        heading,
        Weight::Bold,
        body + 1.0,
        m,
        content_w,
        Align::Left,
        grey(0.0),
    );
    l.y += 1.0;
    if r.documents.is_empty() {
        l.paragraph(
            w.no_documents,
            Weight::Regular,
            body,
            m + 4.0,
            content_w - 4.0,
            Align::Left,
            grey(0.3),
        );
    }
    for (i, d) in r.documents.iter().enumerate() {
        l.numbered(i + 1, d, m, content_w);
    }
    l.y += 4.0;

    // What the parent must know.
    let notice = match &r.kind {
        ReceiptKind::Acceptance => text::originals_reminder(
            r.lang,
            domain::rules::originals_deadline(r.decided_at.year()),
        ),
        ReceiptKind::Documents => text::registered_notice(r.lang, &r.number),
        ReceiptKind::Rejection(_) => w.right_to_apply_again.to_string(),
    };
    l.notice_box(&notice, m, content_w);
    l.y += 6.0;

    // Signatures on the left, the QR on the right; the payload in words below.
    let payload = QrPayload::for_receipt(r).to_string();
    l.closing(r, w, &payload, m, content_w);
}

struct Layout<'a> {
    fonts: &'a Fonts,
    regular_id: FontId,
    bold_id: FontId,
    style: &'a ReceiptStyle,
    pages: Vec<Vec<Op>>,
    /// The cursor: millimetres from the top of the current page.
    y: f32,
    /// Content must end above this line (the footer lives below it).
    bottom: f32,
}

impl Layout<'_> {
    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.fonts.regular,
            Weight::Bold => &self.fonts.bold,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.style.top_margin_mm;
    }

    /// Starts a new page unless `height` more millimetres fit on this one.
    fn keep_with_next(&mut self, height: f32) {
        if self.y + height > self.bottom {
            self.new_page();
        }
    }

    fn line_height(size_pt: f32) -> f32 {
        size_pt * 1.32 / PT_PER_MM
    }

    /// Draws one line whose baseline is `baseline` mm from the top.
    #[allow(clippy::too_many_arguments)]
    fn draw_text(
        &self,
        ops: &mut Vec<Op>,
        x: f32,
        baseline: f32,
        text: &str,
        weight: Weight,
        size: f32,
        color: Color,
    ) {
        let id = match weight {
            Weight::Regular => self.regular_id.clone(),
            Weight::Bold => self.bold_id.clone(),
        };
        ops.extend([
            Op::SetFillColor { col: color },
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(id),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point::new(Mm(x), Mm(PAGE_H - baseline)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    fn text_at(
        &mut self,
        x: f32,
        baseline: f32,
        text: &str,
        weight: Weight,
        size: f32,
        color: Color,
    ) {
        let mut ops = std::mem::take(self.ops());
        self.draw_text(&mut ops, x, baseline, text, weight, size, color);
        *self.ops() = ops;
    }

    /// Greedy word wrap into lines no wider than `width` mm. A word wider than the
    /// column is split after a hyphen if that helps, else between letters.
    fn wrap(&self, text: &str, weight: Weight, size: f32, width: f32) -> Vec<String> {
        let face = self.face(weight);
        let fits = |s: &str| face.width_mm(s, size) <= width;
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word.to_string();
            while !fits(&rest) {
                let (head, tail) = split_to_fit(&rest, &fits);
                lines.push(head);
                rest = tail;
            }
            line = rest;
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    #[allow(clippy::too_many_arguments)]
    fn paragraph(
        &mut self,
        text: &str,
        weight: Weight,
        size: f32,
        x: f32,
        width: f32,
        align: Align,
        color: Color,
    ) {
        let lh = Self::line_height(size);
        for line in self.wrap(text, weight, size, width) {
            self.keep_with_next(lh);
            let dx = match align {
                Align::Left => 0.0,
                Align::Center => (width - self.face(weight).width_mm(&line, size)).max(0.0) / 2.0,
            };
            let baseline = self.y + size * 0.95 / PT_PER_MM;
            self.text_at(x + dx, baseline, &line, weight, size, color.clone());
            self.y += lh;
        }
    }

    fn rule(&mut self, x: f32, width: f32, thickness_pt: f32) {
        let y = self.y;
        self.line(x, y, x + width, y, thickness_pt, grey(0.0));
    }

    #[allow(clippy::too_many_arguments)]
    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness_pt: f32, color: Color) {
        let pt = |x: f32, y: f32| LinePoint {
            p: Point::new(Mm(x), Mm(PAGE_H - y)),
            bezier: false,
        };
        self.ops().extend([
            Op::SetOutlineColor { col: color },
            Op::SetOutlineThickness {
                pt: Pt(thickness_pt),
            },
            Op::DrawLine {
                line: Line {
                    points: vec![pt(x1, y1), pt(x2, y2)],
                    is_closed: false,
                },
            },
        ]);
    }

    fn rect(&mut self, x: f32, y_top: f32, w: f32, h: f32, mode: PaintMode) {
        self.ops().push(Op::DrawRectangle {
            rectangle: Rect {
                x: Mm(x).into(),
                y: Mm(PAGE_H - y_top - h).into(),
                width: Mm(w).into(),
                height: Mm(h).into(),
                mode: Some(mode),
                winding_order: None,
            },
        });
    }

    /// One row of the table of facts: label cell (shaded) and value cell, both wrapped.
    /// Facts are bold; free text (the clerk's explanation) is regular.
    fn table_row(&mut self, label: &str, value: &str, weight: Weight, x: f32, width: f32) {
        let size = self.style.body_pt;
        let pad = 1.2;
        let label_w = self.style.label_column_mm;
        let value_w = width - label_w;
        let label_lines = self.wrap(label, Weight::Regular, size - 0.5, label_w - 2.0 * pad);
        let value_lines = self.wrap(value, weight, size, value_w - 2.0 * pad);
        let lh = Self::line_height(size);
        let h = label_lines.len().max(value_lines.len()) as f32 * lh + 2.0 * pad;
        self.keep_with_next(h);
        let top = self.y;
        self.ops().push(Op::SetFillColor { col: grey(0.94) });
        self.rect(x, top, label_w, h, PaintMode::Fill);
        self.ops().extend([
            Op::SetOutlineColor { col: grey(0.55) },
            Op::SetOutlineThickness { pt: Pt(0.5) },
        ]);
        self.rect(x, top, label_w, h, PaintMode::Stroke);
        self.rect(x + label_w, top, value_w, h, PaintMode::Stroke);
        let first_baseline = top + pad + size * 0.95 / PT_PER_MM;
        for (i, line) in label_lines.iter().enumerate() {
            self.text_at(
                x + pad,
                first_baseline + i as f32 * lh,
                line,
                Weight::Regular,
                size - 0.5,
                grey(0.25),
            );
        }
        for (i, line) in value_lines.iter().enumerate() {
            self.text_at(
                x + label_w + pad,
                first_baseline + i as f32 * lh,
                line,
                weight,
                size,
                grey(0.0),
            );
        }
        self.y = top + h;
    }

    fn numbered(&mut self, n: usize, text: &str, x: f32, width: f32) {
        let size = self.style.body_pt;
        let lh = Self::line_height(size);
        let indent = 8.0;
        let lines = self.wrap(text, Weight::Regular, size, width - indent);
        for (i, line) in lines.iter().enumerate() {
            self.keep_with_next(lh);
            let baseline = self.y + size * 0.95 / PT_PER_MM;
            if i == 0 {
                // Numbers right-aligned, so "9." and "10." end in the same place.
                let number = format!("{n}.");
                let number_w = self.face(Weight::Regular).width_mm(&number, size);
                self.text_at(
                    x + indent - 1.8 - number_w,
                    baseline,
                    &number,
                    Weight::Regular,
                    size,
                    grey(0.0),
                );
            }
            self.text_at(x + indent, baseline, line, Weight::Regular, size, grey(0.0));
            self.y += lh;
        }
    }

    /// A framed paragraph: the reminder, the registration or the right to
    /// apply again.
    fn notice_box(&mut self, text: &str, x: f32, width: f32) {
        let size = self.style.body_pt;
        let pad = 3.0;
        let lines = self.wrap(text, Weight::Bold, size, width - 2.0 * pad - 2.0);
        let lh = Self::line_height(size);
        let h = lines.len() as f32 * lh + 2.0 * pad;
        self.keep_with_next(h);
        let top = self.y;
        self.ops().push(Op::SetFillColor { col: grey(0.94) });
        self.rect(x, top, width, h, PaintMode::Fill);
        self.ops().push(Op::SetFillColor { col: grey(0.0) });
        self.rect(x, top, 1.2, h, PaintMode::Fill);
        for (i, line) in lines.iter().enumerate() {
            let baseline = top + pad + size * 0.95 / PT_PER_MM + i as f32 * lh;
            self.text_at(x + pad + 1.5, baseline, line, Weight::Bold, size, grey(0.0));
        }
        self.y = top + h;
    }

    /// The provisional mark: a red frame with the banner and the local number.
    fn provisional_box(&mut self, notice: &str, banner: &str, x: f32, width: f32) {
        let size = self.style.body_pt;
        let pad = 3.0;
        let banner_size = size + 4.0;
        let lines = self.wrap(notice, Weight::Regular, size - 0.5, width - 2.0 * pad);
        let lh = Self::line_height(size - 0.5);
        let banner_h = Self::line_height(banner_size);
        let h = banner_h + lines.len() as f32 * lh + 2.0 * pad + 1.0;
        self.keep_with_next(h);
        let top = self.y;
        self.ops().extend([
            Op::SetOutlineColor { col: red() },
            Op::SetOutlineThickness { pt: Pt(2.0) },
        ]);
        self.rect(x, top, width, h, PaintMode::Stroke);
        let bw = self.face(Weight::Bold).width_mm(banner, banner_size);
        let baseline = top + pad + banner_size * 0.95 / PT_PER_MM;
        self.text_at(
            x + (width - bw) / 2.0,
            baseline,
            banner,
            Weight::Bold,
            banner_size,
            red(),
        );
        for (i, line) in lines.iter().enumerate() {
            let baseline =
                top + pad + banner_h + 1.0 + (size - 0.5) * 0.95 / PT_PER_MM + i as f32 * lh;
            let lw = self.face(Weight::Regular).width_mm(line, size - 0.5);
            self.text_at(
                x + (width - lw) / 2.0,
                baseline,
                line,
                Weight::Regular,
                size - 0.5,
                red(),
            );
        }
        self.y = top + h;
    }

    /// Signature lines for the clerk and the applicant with the verification text under
    /// them, and the QR code on the right.
    fn closing(&mut self, r: &Receipt, w: &Words, payload: &str, x: f32, width: f32) {
        let size = self.style.body_pt;
        let qr = self.style.qr_size_mm;
        let left_w = width - qr - 6.0;
        let line_w = 42.0;
        let name_w = left_w - line_w - 6.0;
        let lh = Self::line_height(size);
        let people = [
            (w.clerk_signature, r.clerk.name.to_string()),
            (w.applicant_signature, r.applicant.name.display()),
        ];
        let wrapped: Vec<(&str, Vec<String>)> = people
            .iter()
            .map(|(label, name)| (*label, self.wrap(name, Weight::Regular, size, name_w)))
            .collect();
        let person_h = |lines: &Vec<String>| lh + lines.len() as f32 * lh + 4.5;
        let caption = match r.signature_digest {
            Some(_) => w.verify_caption.to_string(),
            None => format!("{} {}", w.verify_caption, w.unsigned_caption),
        };
        let caption_lines = self.wrap(&caption, Weight::Regular, 7.5, left_w);
        let caption_h =
            caption_lines.len() as f32 * Self::line_height(7.5) + Self::line_height(9.0) + 2.0;
        let sig_h: f32 = wrapped.iter().map(|(_, lines)| person_h(lines)).sum();
        self.keep_with_next((sig_h + caption_h).max(qr));
        let top = self.y;

        // Left: the label, then the name with a signature line beside it, "(signature)" under.
        let mut y = top;
        for (label, lines) in &wrapped {
            let baseline = y + size * 0.95 / PT_PER_MM;
            self.text_at(x, baseline, label, Weight::Bold, size, grey(0.0));
            let first = baseline + lh;
            for (i, line) in lines.iter().enumerate() {
                self.text_at(
                    x,
                    first + i as f32 * lh,
                    line,
                    Weight::Regular,
                    size,
                    grey(0.0),
                );
            }
            let line_x = x + left_w - line_w;
            self.line(
                line_x,
                first + 0.8,
                line_x + line_w,
                first + 0.8,
                0.6,
                grey(0.0),
            );
            let hint = format!("({})", w.signature_hint);
            let hint_w = self.face(Weight::Regular).width_mm(&hint, 7.0);
            self.text_at(
                line_x + (line_w - hint_w) / 2.0,
                first + 3.6,
                &hint,
                Weight::Regular,
                7.0,
                grey(0.4),
            );
            y += person_h(lines);
        }
        self.y = y;
        self.paragraph(
            &caption,
            Weight::Regular,
            7.5,
            x,
            left_w,
            Align::Left,
            grey(0.35),
        );
        self.paragraph(
            payload,
            Weight::Regular,
            9.0,
            x,
            left_w,
            Align::Left,
            grey(0.0),
        );

        // Right: the QR code as vector squares.
        self.qr_code(payload, x + width - qr, top, qr);
        self.y = self.y.max(top + qr);
    }

    fn qr_code(&mut self, payload: &str, x: f32, y_top: f32, size: f32) {
        let Ok(code) =
            qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
        else {
            // A payload is under 60 bytes, far below any QR capacity; nothing to draw otherwise.
            return;
        };
        let n = code.width();
        let quiet = 4;
        let module = size / (n + 2 * quiet) as f32;
        let colors = code.to_colors();
        self.ops().push(Op::SetFillColor { col: grey(0.0) });
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if colors[row * n + col] != qrcode::Color::Dark {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let rx = x + (quiet + start) as f32 * module;
                let ry = y_top + (quiet + row) as f32 * module;
                // A hair taller than a module so rows do not show seams when rasterised.
                self.rect(
                    rx,
                    ry,
                    (col - start) as f32 * module,
                    module + 0.04,
                    PaintMode::Fill,
                );
            }
        }
    }
}

/// Splits a word that does not fit: after the last fitting hyphen, else at the last
/// fitting letter (at least one letter per line).
fn split_to_fit(word: &str, fits: &dyn Fn(&str) -> bool) -> (String, String) {
    let chars: Vec<char> = word.chars().collect();
    let mut cut = 1;
    for i in 1..chars.len() {
        let head: String = chars[..i].iter().collect();
        if !fits(&head) {
            break;
        }
        cut = i;
    }
    if let Some(h) = chars[..cut].iter().rposition(|c| *c == '-')
        && h > 0
    {
        cut = h + 1;
    }
    (chars[..cut].iter().collect(), chars[cut..].iter().collect())
}

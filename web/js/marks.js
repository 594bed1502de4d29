/*
 * marks.js — show a model's answer with evidence spans marked.
 *
 * The API gives spans as UTF-8 *byte* offsets into the answer. The text is
 * encoded once, cut at every span boundary, and each piece decoded on its
 * own; a boundary that falls inside a multi-byte character is moved to the
 * character's edge (outward) so no piece is ever a broken character. Spans
 * may overlap or touch: the text is split at every boundary and each piece
 * gets one <mark> whose class is the most serious kind covering it
 * (forbidden > bad citation > key point > valid citation) and whose title
 * names every item covering it. Pieces are inserted as text nodes only.
 */
import { h } from './dom.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/* Higher wins when spans overlap. */
const RANK = { forbidden: 4, 'cite-bad': 3, keypoint: 2, 'cite-ok': 1 };

/*
 * Clamp a byte offset to [0, len] and move it off a UTF-8 continuation byte:
 * back to the character's start (dir -1, for a span's start) or on to the next
 * character (dir +1, for its end), so a span always covers whole characters.
 */
function snap(bytes, i, dir) {
  let k = Math.min(Math.max(0, Math.trunc(Number(i) || 0)), bytes.length);
  while (k > 0 && k < bytes.length && (bytes[k] & 0xc0) === 0x80) k += dir;
  return k;
}

/**
 * Build a fragment of `text` with spans marked.
 * spans: [{start, end, kind: 'keypoint'|'forbidden'|'cite-bad'|'cite-ok', label}].
 * Returns a DocumentFragment of text nodes and <mark> elements.
 */
export function markedText(text, spans = []) {
  const frag = document.createDocumentFragment();
  const bytes = encoder.encode(text ?? '');
  const clean = [];
  for (const sp of spans) {
    const start = snap(bytes, sp.start, -1);
    const end = snap(bytes, sp.end, 1);
    if (end > start && RANK[sp.kind]) clean.push({ ...sp, start, end });
  }
  const cuts = [...new Set([0, bytes.length, ...clean.flatMap((sp) => [sp.start, sp.end])])].sort((a, b) => a - b);

  // Walk the pieces between cuts, merging neighbours covered by the same spans.
  let piece = null;
  const flush = () => {
    if (!piece) return;
    const str = decoder.decode(bytes.subarray(piece.from, piece.to));
    if (!piece.cover.length) {
      frag.append(document.createTextNode(str));
    } else {
      const top = piece.cover.reduce((a, b) => (RANK[b.kind] > RANK[a.kind] ? b : a));
      const labels = [...new Set(piece.cover.map((c) => c.label))].join('; ');
      frag.append(h('mark', { class: `m-${top.kind}`, title: labels, dataset: { items: labels } }, str));
    }
    piece = null;
  };
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i];
    const to = cuts[i + 1];
    const cover = clean.filter((sp) => sp.start <= from && sp.end >= to);
    // Neighbouring pieces with the same items read as one mark.
    const key = [...new Set(cover.map((c) => `${c.kind}\u0000${c.label}`))].sort().join('\u0001');
    if (piece && piece.key === key) {
      piece.to = to;
    } else {
      flush();
      piece = { from, to, cover, key };
    }
  }
  flush();
  return frag;
}

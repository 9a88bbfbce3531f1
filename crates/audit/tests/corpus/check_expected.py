#!/usr/bin/env python3
"""Check the report corpus against its expected files.

For every NAME.expected.toml under dev/ and holdout/:
  * the report NAME.txt or NAME.docx exists;
  * .txt is decoded by BOM (UTF-8 BOM, UTF-16LE/BE BOM), else UTF-8, else GB18030,
    and split into lines on "\\n" (a trailing "\\r" is dropped), numbered from 1;
  * .docx is read through NAME.lines.txt (the canonical lines); if python-docx is
    installed, the canonical lines are also recomputed from the .docx and compared;
  * consistent = true has no [[finding]], consistent = false has at least one;
  * every finding has a known rule id, a severity of error/warning, non-empty lines and values;
  * every value occurs on at least one of the finding's lines, and every listed line holds
    at least one of the values.
Exit status 0 when everything passes.

Usage: python3 check_expected.py [corpus_dir]
"""
import sys, pathlib, tomllib

RULES = {
    'percent-of-parts', 'sum-mismatch', 'score-rate', 'score-deduction', 'score-total',
    'score-text-vs-table', 'grade-band', 'quantity-conflict', 'part-exceeds-whole',
    'date-conflict', 'target-claim', 'target-shortfall', 'target-no-actual',
    'count-mismatch', 'name-inconsistent',
}


def decode_txt(data: bytes):
    if data.startswith(b'\xef\xbb\xbf'):
        return data[3:].decode('utf-8'), 'utf-8-bom'
    if data.startswith(b'\xff\xfe'):
        return data[2:].decode('utf-16-le'), 'utf-16le-bom'
    if data.startswith(b'\xfe\xff'):
        return data[2:].decode('utf-16-be'), 'utf-16be-bom'
    try:
        return data.decode('utf-8'), 'utf-8'
    except UnicodeDecodeError:
        return data.decode('gb18030'), 'gb18030'


def split_lines(text: str):
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    return [l[:-1] if l.endswith('\r') else l for l in lines]


def docx_canonical(path):
    """Non-empty paragraphs and table rows (cells joined by TAB), in document order."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    d = docx.Document(str(path))
    out = []
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit('}', 1)[-1]
        if tag == 'p':
            t = Paragraph(child, d).text
            if t.strip():
                out.append(t)
        elif tag == 'tbl':
            for row in Table(child, d).rows:
                out.append('\t'.join(c.text for c in row.cells))
    return out


def check(corpus: pathlib.Path):
    errors = []
    n_reports = 0
    for exp in sorted(corpus.glob('*/*.expected.toml')):
        name = exp.name[:-len('.expected.toml')]
        base = exp.parent / name
        where = f'{exp.parent.name}/{name}'
        try:
            meta = tomllib.loads(exp.read_text('utf-8'))
        except Exception as e:  # noqa: BLE001
            errors.append(f'{where}: bad TOML: {e}')
            continue
        txt, dx = base.with_suffix('.txt'), base.with_suffix('.docx')
        if txt.exists():
            text, _ = decode_txt(txt.read_bytes())
            lines = split_lines(text)
        elif dx.exists():
            lt = pathlib.Path(str(base) + '.lines.txt')
            if not lt.exists():
                errors.append(f'{where}: {lt.name} missing')
                continue
            lines = split_lines(lt.read_text('utf-8'))
            try:
                canon = docx_canonical(dx)
            except ImportError:
                canon = None
            if canon is not None and canon != lines:
                errors.append(f'{where}: {lt.name} differs from the canonical lines of the .docx')
        else:
            errors.append(f'{where}: no report file')
            continue
        n_reports += 1
        finds = meta.get('finding', [])
        if 'consistent' not in meta:
            errors.append(f'{where}: consistent missing')
        elif meta['consistent'] and finds:
            errors.append(f'{where}: consistent = true but has findings')
        elif not meta['consistent'] and not finds:
            errors.append(f'{where}: consistent = false but no findings')
        for i, f in enumerate(finds, 1):
            tag = f'{where} finding {i} ({f.get("rule")})'
            if f.get('rule') not in RULES:
                errors.append(f'{tag}: unknown rule')
            if f.get('severity') not in ('error', 'warning'):
                errors.append(f'{tag}: bad severity')
            ls, vs = f.get('lines', []), f.get('values', [])
            if not ls or not vs:
                errors.append(f'{tag}: empty lines or values')
                continue
            bad = [l for l in ls if not (1 <= l <= len(lines))]
            if bad:
                errors.append(f'{tag}: line(s) {bad} out of range 1..{len(lines)}')
                continue
            for v in vs:
                if not any(v in lines[l - 1] for l in ls):
                    errors.append(f'{tag}: value {v!r} not on lines {ls}')
            for l in ls:
                if not any(v in lines[l - 1] for v in vs):
                    errors.append(f'{tag}: line {l} holds none of the values')
    return n_reports, errors


if __name__ == '__main__':
    corpus = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent
    n, errs = check(corpus)
    for e in errs:
        print('FAIL', e)
    print(f'{n} reports checked, {len(errs)} problem(s)')
    sys.exit(1 if errs else 0)

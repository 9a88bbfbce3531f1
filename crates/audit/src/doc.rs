//! The document model: canonical lines, the numbers and dates in them, and the tables that
//! reports pasted out of Word contain in any of their shapes.
//!
//! Table shapes read: tab-separated rows, pipe tables, columns aligned with two or more
//! spaces, tables flattened one cell per line (groups separated by blank lines), and a
//! header row followed by its data on the same line (label₁ … labelₙ value₁ … valueₙ).

use crate::scan::{DateMention, Num, scan_line};

/// One cell of a table row.
#[derive(Clone, Debug)]
pub struct Cell {
    /// Line index (0-based).
    pub line: usize,
    /// Byte range of the cell in its line.
    pub start: usize,
    /// End of the cell.
    pub end: usize,
    /// Indices into [`Doc::nums`] of the numbers inside the cell.
    pub nums: Vec<usize>,
}

/// A table row in any shape.
#[derive(Clone, Debug)]
pub struct Row {
    /// Cells in order.
    pub cells: Vec<Cell>,
}

/// Consecutive rows with a header (the first row holding column names, when there is one).
#[derive(Clone, Debug)]
pub struct Table {
    /// Rows; `rows[0]` is the header when `header` is true.
    pub rows: Vec<Row>,
    /// Whether the first row names the columns.
    pub header: bool,
}

/// A report ready for checking.
#[derive(Clone, Debug)]
pub struct Doc {
    /// Canonical lines as written.
    pub lines: Vec<String>,
    /// Every number, ordered by line and position.
    pub nums: Vec<Num>,
    /// Every date, ordered by line and position.
    pub dates: Vec<DateMention>,
    /// For each line, the range of its numbers in `nums`.
    pub line_nums: Vec<std::ops::Range<usize>>,
    /// Tables found.
    pub tables: Vec<Table>,
    /// The fiscal year the report evaluates, when it can be told.
    pub year: Option<i32>,
    /// For each line, a 256-bit filter of the characters it holds: a keyword one of whose
    /// characters is missing cannot be on the line (most keyword searches end here).
    chars: Vec<[u64; 4]>,
    /// For each line, the byte offsets of its sentence ends (。；;！？), ascending.
    stops: Vec<Vec<u32>>,
    /// Derived views, computed once on first use.
    cache: Cache,
}

/// Whether a character ends a sentence.
fn is_stop(c: char) -> bool {
    matches!(c, '。' | '；' | ';' | '！' | '？')
}

/// The filter bit of a character.
fn char_bit(c: char) -> (usize, u64) {
    let h = u32::from(c).wrapping_mul(0x9E37_79B1) >> 24;
    ((h >> 6) as usize, 1u64 << (h & 63))
}

fn char_filter(s: &str) -> [u64; 4] {
    let mut f = [0u64; 4];
    for c in s.chars() {
        let (w, b) = char_bit(c);
        f[w] |= b;
    }
    f
}

/// Views of the document several checks share.
#[derive(Clone, Debug, Default)]
struct Cache {
    score_tables: std::sync::OnceLock<Vec<Vec<crate::checks::scores::ScoreRow>>>,
    prose: std::sync::OnceLock<Vec<crate::checks::prose::ProseScore>>,
    contexts: std::sync::OnceLock<Vec<crate::context::Ctx>>,
    sub_projects: std::sync::OnceLock<Vec<Option<usize>>>,
    scope_lines: std::sync::OnceLock<Vec<bool>>,
}

impl Doc {
    /// Builds the model from canonical lines.
    #[must_use]
    pub fn new(lines: Vec<String>) -> Doc {
        let mut nums = Vec::new();
        let mut dates = Vec::new();
        let mut line_nums = Vec::with_capacity(lines.len());
        let chars = lines.iter().map(|l| char_filter(l)).collect();
        let stops = lines
            .iter()
            .map(|l| {
                l.char_indices()
                    .filter(|&(_, c)| is_stop(c))
                    .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
                    .collect()
            })
            .collect();
        for (i, l) in lines.iter().enumerate() {
            let (n, d) = scan_line(i, l);
            let from = nums.len();
            nums.extend(n);
            line_nums.push(from..nums.len());
            dates.extend(d);
        }
        let mut doc = Doc {
            lines,
            nums,
            dates,
            line_nums,
            tables: Vec::new(),
            year: None,
            chars,
            stops,
            cache: Cache::default(),
        };
        doc.tables = find_tables(&doc);
        doc.year = fiscal_year(&doc);
        doc
    }

    /// The sentence of `line` around byte range `start..end` (between 。；;！？ or the line's
    /// ends), as a byte range.
    #[must_use]
    pub fn sentence(&self, line: usize, start: usize, end: usize) -> (usize, usize) {
        let l = &self.lines[line];
        let (start, end) = (crate::util::floor(l, start), crate::util::floor(l, end));
        let stops = &self.stops[line];
        // Every stop is three bytes but ';'.
        let after = |p: u32| {
            p as usize
                + if l.as_bytes()[p as usize] == b';' {
                    1
                } else {
                    3
                }
        };
        let first = stops.partition_point(|&p| after(p) <= start);
        let s = first.checked_sub(1).map_or(0, |k| after(stops[k]));
        let e = stops[first..]
            .iter()
            .find(|&&p| p as usize >= end)
            .map_or(l.len(), |&p| p as usize);
        (s, e)
    }

    /// Whether `needle` may be on `line` (false: it certainly is not).
    #[must_use]
    pub fn may_contain(&self, line: usize, needle: &str) -> bool {
        let have = &self.chars[line];
        needle.chars().all(|c| {
            let (w, b) = char_bit(c);
            have[w] & b != 0
        })
    }

    /// The byte offset of `needle` in `line`.
    #[must_use]
    pub fn find(&self, line: usize, needle: &str) -> Option<usize> {
        if self.may_contain(line, needle) {
            crate::util::find(&self.lines[line], needle)
        } else {
            None
        }
    }

    /// The score tables (computed once).
    pub fn score_tables(&self) -> &[Vec<crate::checks::scores::ScoreRow>] {
        self.cache
            .score_tables
            .get_or_init(|| crate::checks::scores::find_score_tables(self))
    }

    /// The scores written in the prose (computed once).
    pub fn prose_scores(&self) -> &[crate::checks::prose::ProseScore] {
        self.cache
            .prose
            .get_or_init(|| crate::checks::prose::find_prose_scores(self))
    }

    /// The context of every number (computed once).
    pub fn contexts(&self) -> &[crate::context::Ctx] {
        self.cache
            .contexts
            .get_or_init(|| crate::context::contexts(self))
    }

    /// The heading line of the sub-project section `line` is in ("（二）辅助器具适配子项目"
    /// up to the next heading of its level or above), if any: figures there are that
    /// sub-project's, not the project's.
    #[must_use]
    pub fn sub_project(&self, line: usize) -> Option<usize> {
        self.cache
            .sub_projects
            .get_or_init(|| crate::context::sub_project_sections(self))
            .get(line)
            .copied()
            .flatten()
    }

    /// Whether a line lies under a heading of a multi-year project's planned scope (see
    /// `checks::quantities`), computed once for the document.
    #[must_use]
    pub fn in_scope_section(&self, line: usize) -> bool {
        self.cache
            .scope_lines
            .get_or_init(|| crate::checks::quantities::scope_lines(self))
            .get(line)
            .copied()
            .unwrap_or(false)
    }

    /// The text of a cell.
    #[must_use]
    pub fn cell_text(&self, c: &Cell) -> &str {
        self.lines[c.line].get(c.start..c.end).unwrap_or("").trim()
    }

    /// The text of a number mention as written.
    #[must_use]
    pub fn written(&self, n: usize) -> &str {
        let m = &self.nums[n];
        self.lines[m.line].get(m.start..m.end).unwrap_or("")
    }

    /// Numbers of a line.
    #[must_use]
    pub fn nums_of(&self, line: usize) -> &[Num] {
        &self.nums[self.line_nums[line].clone()]
    }

    /// The text of a line without `[bookmark: …]` debris.
    #[must_use]
    pub fn clean(&self, line: usize) -> std::borrow::Cow<'_, str> {
        strip_debris(&self.lines[line])
    }
}

/// A line without `[bookmark: …]` debris.
#[must_use]
pub fn strip_debris(s: &str) -> std::borrow::Cow<'_, str> {
    // (A byte search for the bracket first: most text holds none.)
    if !s.as_bytes().contains(&b'[') || !s.contains("[bookmark:") {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("[bookmark:") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find(']').map_or("", |j| &rest[i + j + 1..]);
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// A row that names columns: no numbers, and at least two cells with the words column
/// headers use.
fn looks_like_header(doc: &Doc, row: &Row) -> bool {
    const WORDS: &[&str] = &[
        "指标", "预算", "权重", "分值", "得分", "执行", "值", "率", "项目", "名称", "金额", "数",
        "扣分", "原因", "说明", "合计", "来源", "单位", "内容",
    ];
    row.cells.iter().all(|c| c.nums.is_empty())
        && row
            .cells
            .iter()
            .filter(|c| {
                let t = doc.cell_text(c);
                t.chars().count() <= 16 && WORDS.iter().any(|w| t.contains(w))
            })
            .count()
            >= 2
}

/// Splits a line into cells: `|` pipes, tabs, or runs of two or more spaces. Characters
/// inside `[bookmark: …]` debris are neither content nor separators.
/// `unit_column`: the table has a column of units (度量单位), so a `%` alone after a tab is
/// that column's cell, not the end of the figure before it.
fn split_cells(line: &str, unit_column: bool) -> Vec<(usize, usize)> {
    let debris = debris_ranges(line);
    let chars: Vec<(usize, char)> = line
        .char_indices()
        .filter(|(i, _)| !debris.iter().any(|(s, e)| i >= s && i < e))
        .collect();
    let pipes = chars
        .iter()
        .find(|(_, c)| !c.is_whitespace())
        .is_some_and(|(_, c)| *c == '|' || *c == '｜');
    let tabs = !pipes && chars.iter().any(|(_, c)| *c == '\t');
    // A table's caption set off by spaces ("表1  绩效指标完成情况") is one cell, not a header
    // row of two.
    let t = line.trim();
    let numbered = t
        .strip_prefix("附表")
        .or_else(|| t.strip_prefix('表'))
        .is_some_and(|r| {
            r.starts_with(|c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
        });
    if numbered && !pipes && !tabs {
        let start = line.len() - line.trim_start().len();
        return vec![(start, start + t.len())];
    }
    let is_space = |c: char| c == ' ' || c == '\u{3000}';
    // A space-aligned row (as pdftotext -layout writes tables) may put a single space
    // between narrow cells; next to a Chinese character that space is a column break too.
    // Cells may also be parted by single ideographic spaces ("一级指标　决策　过程　…"): three or
    // more of them inside the line (leading indentation aside) make a row.
    let inner_ideographic = chars
        .iter()
        .skip_while(|(_, c)| c.is_whitespace())
        .filter(|(_, c)| *c == '\u{3000}')
        .count();
    let aligned = !pipes
        && !tabs
        && (chars
            .windows(2)
            .any(|w| is_space(w[0].1) && is_space(w[1].1))
            || inner_ideographic >= 3);
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut cells = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut k = 0;
    // Whether a pipe has been passed: the text before the first pipe is no cell.
    let mut opened = false;
    while k < chars.len() {
        let (i, c) = chars[k];
        let sep_len = if pipes {
            usize::from(c == '|' || c == '｜')
        } else if tabs {
            // A tab between a number and its percent sign ("≥80\t%") is not a column break.
            usize::from(
                c == '\t'
                    && (unit_column
                        || !chars
                            .get(k + 1)
                            .is_some_and(|(_, n)| *n == '%' || *n == '％')),
            )
        } else if is_space(c) && chars.get(k + 1).is_some_and(|(_, n)| is_space(*n)) {
            chars[k..].iter().take_while(|(_, n)| is_space(*n)).count()
        } else if aligned && c == '\u{3000}' {
            // A single ideographic space never falls inside a cell of Chinese text.
            1
        } else if aligned
            && c == ' '
            && k > 0
            && (cjk(chars[k - 1].1)
                || (!chars[k - 1].1.is_ascii_digit()
                    && !matches!(chars[k - 1].1, '%' | '％')
                    && chars.get(k + 1).is_some_and(|(_, n)| cjk(*n))))
        {
            1
        } else {
            0
        };
        if sep_len > 0 {
            if pipes {
                // Empty pipe cells are kept so that columns stay aligned.
                if let Some(s) = start.take() {
                    cells.push((s, last_end));
                } else if opened {
                    cells.push((i, i));
                }
                opened = true;
            } else if tabs {
                // Empty tab cells are kept so that columns stay aligned; a leading tab is an
                // empty first cell (a vertically merged cell of a Word table).
                if let Some(s) = start.take() {
                    cells.push((s, last_end));
                } else {
                    cells.push((i, i));
                }
            } else if let Some(s) = start.take() {
                cells.push((s, last_end));
            }
            k += sep_len;
            continue;
        }
        if !c.is_whitespace() || start.is_some() {
            if start.is_none() {
                start = Some(i);
            }
            last_end = i + c.len_utf8();
        }
        k += 1;
    }
    if let Some(s) = start {
        cells.push((s, last_end));
    }
    // A trailing separator leaves no cell; trailing empty cells carry no column.
    while cells.last().is_some_and(|(s, e)| s == e) && tabs {
        cells.pop();
    }
    // A word spaced out to fill its column ("合　　计", "序　号") is one cell.
    if !pipes && !tabs && cells.len() >= 2 {
        let one = |(s, e): (usize, usize)| {
            let t = &line[s..e];
            (t.chars().count() == 1 && t.chars().all(cjk)).then_some(t)
        };
        if let (Some(a), Some(b)) = (one(cells[0]), one(cells[1]))
            && SPACED_WORDS.contains(&format!("{a}{b}").as_str())
        {
            let merged = (cells[0].0, cells[1].1);
            cells.splice(0..2, [merged]);
        }
    }
    cells
}

/// Two-character labels that Word tables space out across their column.
const SPACED_WORDS: &[&str] = &[
    "合计", "小计", "总计", "共计", "序号", "项目", "备注", "单位", "名称", "年度", "指标", "内容",
    "类别", "说明", "总分", "得分", "分值", "权重",
];

fn debris_ranges(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = s[from..].find("[bookmark:") {
        let st = from + i;
        let e = s[st..].find(']').map_or(s.len(), |j| st + j + 1);
        out.push((st, e));
        from = e;
    }
    out
}

fn is_numeric_cell(doc: &Doc, line: usize, s: usize, e: usize) -> bool {
    let text = doc.lines[line][s..e].trim();
    !text.is_empty()
        && doc.nums_of(line).iter().any(|n| n.start >= s && n.end <= e)
        && text.chars().all(|c| {
            c.is_ascii_digit()
                || "．.,%％-—≥≤＞＜>=< \u{3000}０１２３４５６７８９万元分".contains(c)
        })
}

fn make_row(doc: &Doc, line: usize, spans: &[(usize, usize)]) -> Row {
    let range = doc.line_nums[line].clone();
    Row {
        cells: spans
            .iter()
            .map(|&(s, e)| Cell {
                line,
                start: s,
                end: e,
                // By where the number ends: a comparator in the cell before ("≥\t60", the
                // 指标性质 column of the central form) belongs to the figure, not the cell.
                nums: range
                    .clone()
                    .filter(|&n| doc.nums[n].end > s && doc.nums[n].end <= e)
                    .filter(|&n| {
                        doc.nums[n].start >= s
                            || doc.lines[line][doc.nums[n].start..s]
                                .chars()
                                .all(|c| "≥≤＞＜><=＝ \t".contains(c))
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Whether line `i` is the first half of a tab table's cell: short Chinese text alone, between
/// two tab rows.
fn wrapped_cell(doc: &Doc, multi: &[Option<Vec<(usize, usize)>>], i: usize) -> bool {
    let t = doc.lines[i].trim();
    let tabbed = |k: usize| multi[k].is_some() && doc.lines[k].contains('\t');
    i > 0
        && i + 1 < doc.lines.len()
        && tabbed(i - 1)
        && tabbed(i + 1)
        && !t.is_empty()
        && t.chars().count() <= 16
        && t.chars()
            .all(|c| crate::util::is_cjk(c) || "（）()、".contains(c))
}

/// Finds tables of every shape.
fn find_tables(doc: &Doc) -> Vec<Table> {
    let n = doc.lines.len();
    // 1. Multi-cell rows (pipes, tabs, aligned spaces).
    let mut multi: Vec<Option<Vec<(usize, usize)>>> = vec![None; n];
    // Whether the tab table going on has a column of units, named in its header.
    let mut unit_column = false;
    for (i, l) in doc.lines.iter().enumerate() {
        if !l.contains('\t') {
            unit_column = false;
        }
        let cells = split_cells(l, unit_column);
        if l.contains('\t')
            && cells.iter().any(|&(s, e)| {
                matches!(
                    l[s..e].trim(),
                    "单位" | "度量单位" | "计量单位" | "计量 单位"
                )
            })
        {
            unit_column = true;
        }
        let nonempty = cells
            .iter()
            .filter(|(s, e)| !l[*s..*e].trim().is_empty())
            .count();
        // A lone leading tab before one cell is the flattened shape, handled below.
        if nonempty >= 2 {
            multi[i] = Some(cells);
        }
    }
    // A Markdown rule under a pipe header ("| --- | :---: |") is no row, but the table goes on.
    let rule = |i: usize| {
        multi[i].as_ref().is_some_and(|cells| {
            let l = &doc.lines[i];
            cells.iter().all(|&(s, e)| {
                let t = l[s..e].trim();
                t.is_empty() || (t.contains('-') && t.chars().all(|c| matches!(c, '-' | ':' | '—')))
            })
        })
    };
    let mut tables = Vec::new();
    let mut i = 0;
    while i < n {
        if multi[i].is_none() {
            i += 1;
            continue;
        }
        let mut rows = Vec::new();
        while i < n {
            if rule(i) {
                i += 1;
                continue;
            }
            match &multi[i] {
                // A pipe table ends at its last pipe row ("| 合计 | … |" / "附件2  数据来源清单").
                Some(_)
                    if rows.first().is_some_and(|r: &Row| {
                        r.cells
                            .first()
                            .is_some_and(|c| doc.lines[c.line].trim_start().starts_with('|'))
                    }) && !doc.lines[i].contains('|') =>
                {
                    break;
                }
                Some(c) => {
                    let row = make_row(doc, i, c);
                    // A header row after data rows starts a new table (a second header row
                    // right under the first is part of a two-level header).
                    let filled = |r: &Row| {
                        r.cells
                            .iter()
                            .filter(|c| !doc.cell_text(c).is_empty())
                            .count()
                    };
                    let has_data = rows
                        .iter()
                        .any(|r: &Row| r.cells.iter().any(|c| !c.nums.is_empty()));
                    let sub_header = rows
                        .last()
                        .is_some_and(|last: &Row| !has_data && filled(&row) < filled(last));
                    if looks_like_header(doc, &row) && !rows.is_empty() && !sub_header {
                        tables.extend(split_pairs(doc, std::mem::take(&mut rows)));
                    }
                    rows.push(row);
                }
                // A cell wrapped over two lines in a tab table ("补贴性职业技能" / "培训人数\t≥
                // 12000人\t…"): its first half, a few Chinese characters alone on their line,
                // does not end the table.
                None if wrapped_cell(doc, &multi, i) => {}
                None => break,
            }
            i += 1;
        }
        tables.extend(split_pairs(doc, rows));
    }
    // 2. Tables flattened one cell per line, rows separated by blank lines.
    tables.extend(flattened(doc, &multi));
    tables
}

/// Turns a run of rows into tables, unfolding rows that hold a header and its data on one
/// line (`甲 乙 丙 合计 20 20 60 100 得分`) into label/value columns.
fn split_pairs(doc: &Doc, rows: Vec<Row>) -> Vec<Table> {
    let mut out = Vec::new();
    let mut plain = Vec::new();
    // (column title, labels, values)
    let mut pairs: Vec<(Option<Cell>, Row, Row)> = Vec::new();
    let mut pending_title: Option<Cell> = None;
    // Under a header row, a row as wide as the header is an ordinary row
    // ("A项目决策 | 项目目标 | 4 | 4" under "一级指标 | 二级指标 | 权重 | 得分").
    let header_width = rows.first().and_then(|r| {
        r.cells
            .iter()
            .all(|c| !is_numeric_cell(doc, c.line, c.start, c.end))
            .then_some(r.cells.len())
    });
    for row in rows {
        // No wider than the header: an ordinary row whose last cells are empty ("决策 ⇥ 项目立项
        // ⇥ 立项依据充分性 ⇥ 2 ⇥ 2 ⇥ 0" under seven columns, 扣分原因 left blank).
        if header_width.is_some_and(|w| row.cells.len() <= w) {
            plain.push(row);
            continue;
        }
        let numeric: Vec<bool> = row
            .cells
            .iter()
            .map(|c| is_numeric_cell(doc, c.line, c.start, c.end))
            .collect();
        let k = numeric.iter().take_while(|b| !**b).count();
        let vals = numeric[k..].iter().take_while(|b| **b).count();
        let rest = numeric.len() - k - vals;
        // Header-and-data rows name every column: no empty label (an empty first cell is a
        // merged cell of an ordinary row).
        let labelled = row.cells[..k]
            .iter()
            .all(|c| !doc.cell_text(c).trim().is_empty());
        // "一级指标 决策 过程 产出 效益 合计 分值 15 15 40 30 100 得分 14 14 38 28.5 95.5": the
        // labels once, then each line's title and its values.
        if let Some(lines) = titled_runs(doc, &row, &numeric) {
            pairs.extend(lines);
            continue;
        }
        if k >= 2 && vals == k && rest <= 1 && labelled {
            let next_title = row.cells.get(2 * k).cloned();
            let title = pending_title.take().or_else(|| {
                let t = title_above(doc, row.cells[0].line)?;
                // "附：分值及得分" above a row that ends in the next row's title (得分): this row
                // holds the first one named.
                let text = &doc.lines[t.line][t.start..t.end];
                let next = next_title.as_ref().map_or("", |c| doc.cell_text(c).trim());
                match text.find(['及', '和', '与']) {
                    Some(j) if !next.is_empty() && text[j..].contains(next) => Some(Cell {
                        end: t.start + j,
                        ..t
                    }),
                    _ => Some(t),
                }
            });
            pairs.push((
                title,
                Row {
                    cells: row.cells[..k].to_vec(),
                },
                Row {
                    cells: row.cells[k..2 * k].to_vec(),
                },
            ));
            pending_title = next_title;
            continue;
        }
        plain.push(row);
    }
    if !plain.is_empty() {
        let header = plain.first().is_some_and(|r| {
            r.cells
                .iter()
                .all(|c| !is_numeric_cell(doc, c.line, c.start, c.end))
        });
        out.push(Table {
            rows: plain,
            header,
        });
    }
    if !pairs.is_empty() {
        out.push(transpose_pairs(&pairs));
    }
    out
}

/// A row holding labels once and then several titled runs of values, one value per label:
/// `[corner] L1…Lk T1 v1…vk T2 w1…wk …`. Returns (title, labels, values) per run.
fn titled_runs(doc: &Doc, row: &Row, numeric: &[bool]) -> Option<Vec<(Option<Cell>, Row, Row)>> {
    // Runs of equal kind: (numeric, start, len).
    let mut runs: Vec<(bool, usize, usize)> = Vec::new();
    for (i, &n) in numeric.iter().enumerate() {
        match runs.last_mut() {
            Some((kind, _, len)) if *kind == n => *len += 1,
            _ => runs.push((n, i, 1)),
        }
    }
    if runs.len() < 2 || runs[0].0 || !runs.len().is_multiple_of(2) {
        return None;
    }
    let k = runs[1].2;
    // One titled run alone: a corner, the labels and a score column's title, once per line
    // ("一级指标 决策 过程 产出 效益 合计 权重 15 25 40 20 100", then 得分 …, 得分率 …).
    if runs.len() == 2 {
        let title = row
            .cells
            .get(runs[0].2 - 1)
            .map_or("", |c| doc.cell_text(c).trim());
        if runs[0].2 != k + 2
            || !["权重", "分值", "满分", "得分", "得分率", "扣分"].contains(&title)
        {
            return None;
        }
    }
    if k < 2 || runs.iter().skip(1).step_by(2).any(|r| !r.0 || r.2 != k) {
        return None;
    }
    if runs.iter().skip(2).step_by(2).any(|r| r.0 || r.2 != 1) {
        return None;
    }
    let first = runs[0].2;
    if first != k + 1 && first != k + 2 {
        return None;
    }
    let labels = Row {
        cells: row.cells[first - 1 - k..first - 1].to_vec(),
    };
    if labels
        .cells
        .iter()
        .any(|c| doc.cell_text(c).trim().is_empty())
    {
        return None;
    }
    Some(
        runs.chunks(2)
            .map(|pair| {
                let (title_end, (_, vs, vl)) = (pair[0].1 + pair[0].2, pair[1]);
                (
                    row.cells.get(title_end - 1).cloned(),
                    labels.clone(),
                    Row {
                        cells: row.cells[vs..vs + vl].to_vec(),
                    },
                )
            })
            .collect(),
    )
}

/// A short single-cell line just above `line`, used as a column title.
fn title_above(doc: &Doc, line: usize) -> Option<Cell> {
    let above = line.checked_sub(1)?;
    let text = &doc.lines[above];
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 12 || !doc.nums_of(above).is_empty() {
        return None;
    }
    let s = text.len() - text.trim_start().len();
    Some(Cell {
        line: above,
        start: s,
        end: s + t.len(),
        nums: Vec::new(),
    })
}

/// Label/value lines become a table with one row per label and one column per line; the
/// header row holds each line's title.
fn transpose_pairs(pairs: &[(Option<Cell>, Row, Row)]) -> Table {
    let labels = &pairs[0].1;
    let corner = Cell {
        end: labels.cells[0].start,
        nums: Vec::new(),
        ..labels.cells[0].clone()
    };
    let mut header = vec![corner.clone()];
    for (title, _, _) in pairs {
        header.push(title.clone().unwrap_or_else(|| corner.clone()));
    }
    let mut rows = vec![Row { cells: header }];
    for (j, label) in labels.cells.iter().enumerate() {
        let mut cells = vec![label.clone()];
        for (_, _, values) in pairs {
            if let Some(v) = values.cells.get(j) {
                cells.push(v.clone());
            }
        }
        rows.push(Row { cells });
    }
    Table { rows, header: true }
}

/// Tables flattened one cell per line: groups of short single-cell lines separated by blank
/// lines, at least two groups with the same number of cells.
fn flattened(doc: &Doc, multi: &[Option<Vec<(usize, usize)>>]) -> Vec<Table> {
    let n = doc.lines.len();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    // A lone tab is an empty cell of a table flattened with a tab before every cell; only a
    // line with nothing at all parts the rows.
    let short = |i: usize| {
        let l = &doc.lines[i];
        let t = l.trim();
        (!t.is_empty() && t.chars().count() <= 24 && multi[i].is_none())
            || (t.is_empty() && l.starts_with('\t'))
    };
    for i in 0..=n {
        if i < n && short(i) {
            cur.push(i);
        } else {
            if cur.len() >= 2 {
                groups.push(std::mem::take(&mut cur));
            } else {
                cur.clear();
            }
        }
        if i < n && !short(i) && !doc.lines[i].trim().is_empty() {
            groups.push(Vec::new()); // a barrier: prose between groups ends a table
        }
    }
    let groups = split_unbroken(doc, groups);
    let mut tables = Vec::new();
    let mut run: Vec<Vec<usize>> = Vec::new();
    let flush = |run: &mut Vec<Vec<usize>>, tables: &mut Vec<Table>| {
        if run.len() >= 2 {
            let width = run[1].len();
            let mut rows: Vec<Row> = Vec::new();
            for (gi, g) in run.iter().enumerate() {
                // Title lines glued to the header group ("各一级指标得分情况如下：" /
                // "项目绩效评价得分情况表").
                let g: &[usize] = if gi == 0 && g.len() > width {
                    &g[g.len() - width..]
                } else {
                    g
                };
                let cells = g
                    .iter()
                    .map(|&l| {
                        let line = &doc.lines[l];
                        let (s, e) = if line.trim().is_empty() {
                            (0, 0)
                        } else {
                            (line.len() - line.trim_start().len(), line.trim_end().len())
                        };
                        make_row(doc, l, &[(s, e)]).cells.remove(0)
                    })
                    .collect();
                rows.push(Row { cells });
            }
            // Rows mostly of figures, or (a register of documents, dates and notes with one
            // amount each) every data row holding a figure.
            let numeric_rows = rows
                .iter()
                .filter(|r| {
                    r.cells.iter().filter(|c| !c.nums.is_empty()).count() * 2 >= r.cells.len()
                })
                .count();
            let all_hold_one = rows.len() >= 3
                && rows[1..]
                    .iter()
                    .all(|r| r.cells.iter().any(|c| !c.nums.is_empty()));
            if numeric_rows >= 1 || all_hold_one {
                let header = rows[0].cells.iter().all(|c| c.nums.is_empty());
                tables.push(Table { rows, header });
            }
        }
        run.clear();
    };
    for g in groups {
        if g.is_empty() {
            flush(&mut run, &mut tables);
            continue;
        }
        // Rows as wide as the table's first data row, or a total row with its figures only.
        let short_total = |width: usize| g.len() >= 2 && g.len() < width && total_label(doc, g[0]);
        let fits = match run.len() {
            0 => true,
            1 => {
                let prev = run[0].len();
                (g.len()..=g.len() + 2).contains(&prev) || short_total(prev)
            }
            _ => g.len() == run[1].len() || short_total(run[1].len()),
        };
        if !fits {
            flush(&mut run, &mut tables);
        }
        run.push(g);
    }
    flush(&mut run, &mut tables);
    tables
}

/// Tables flattened one cell per line without blank lines between rows: a header of k
/// column names (一级指标 / 权重 / 得分 / 扣分 / 得分率), then rows of k cells. Such a run is cut
/// into groups of k lines, one per row, for the grouping above.
fn split_unbroken(doc: &Doc, groups: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    const WORDS: &[&str] = &[
        "指标", "权重", "分值", "得分", "扣分", "预算", "执行", "率", "目标", "实际", "完成",
        "名称", "金额", "原因", "满分", "时间", "日期", "人数", "数量", "班次", "单位", "地点",
    ];
    let header_like = |l: usize| {
        let t = doc.lines[l].trim();
        doc.line_nums[l].is_empty()
            && t.chars().count() <= 10
            && WORDS.iter().any(|w| t.contains(w))
    };
    // The rows that follow a header of `k` lines starting at `h`: each k lines long, a label
    // first, mostly figures after it.
    let rows_after = |g: &[usize], h: usize, k: usize| -> Vec<Vec<usize>> {
        let mut chunks = vec![g[h..h + k].to_vec()];
        let mut at = h + k;
        while at < g.len() {
            // A 小计 / 合计 row typed with its figures only ("小计 / 40 / 39.60").
            if total_label(doc, g[at]) {
                let figures = g[at + 1..]
                    .iter()
                    .take(k - 1)
                    .take_while(|&&l| {
                        let t = doc.lines[l].trim();
                        let cjk = t.chars().filter(|&c| crate::util::is_cjk(c)).count();
                        // (Words with a figure inside, "年度目标二：效益目标（40分）", are the
                        // next block's title.)
                        !doc.line_nums[l].is_empty() && !total_label(doc, l) && cjk < 4
                    })
                    .count();
                if figures >= 1 {
                    chunks.push(g[at..=at + figures].to_vec());
                    at += figures + 1;
                    continue;
                }
            }
            if at + k > g.len() {
                break;
            }
            let chunk = &g[at..at + k];
            // Another table's header starting inside the row ("…11.37 / 二、绩效指标完成情况
            // （80分） / 一级指标 / 二级指标 / 三级指标 …"): this table ends before the row.
            // The row's own cells before it (and before a heading over the next table) are
            // kept as a row short of its cells.
            if let Some(j) = (1..k).find(|&j| {
                g.get(at + j..at + j + 3)
                    .is_some_and(|three| three.iter().all(|&l| header_like(l)))
            }) {
                let heading =
                    crate::context::heading_level(doc.lines[g[at + j - 1]].trim()).is_some();
                let end = if heading { j - 1 } else { j };
                if end >= 2 {
                    chunks.push(g[at..at + end].to_vec());
                }
                break;
            }
            // A label: no figure, or words with a figure inside (A项目决策, 第1批), not a
            // quantity (1,562人).
            let label = doc.lines[chunk[0]].trim();
            // (A label may carry its row number: "11.见习人员满意度".)
            let label = label
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .strip_prefix(['.', '、', '．'])
                .filter(|rest| rest.starts_with(crate::util::is_cjk))
                .unwrap_or(label);
            let label_first = doc.line_nums[chunk[0]].is_empty()
                || (label.chars().filter(|&c| crate::util::is_cjk(c)).count() >= 2
                    && !label.starts_with(|c: char| c.is_ascii_digit()));
            let numbers = chunk[1..]
                .iter()
                .filter(|&&l| !doc.line_nums[l].is_empty())
                .count();
            if !label_first || numbers * 2 < k - 1 {
                break;
            }
            chunks.push(chunk.to_vec());
            at += k;
        }
        chunks
    };
    let mut out = Vec::new();
    // The lines after one table may hold the next one (产出目标 …, then 效益目标 …).
    let mut work: std::collections::VecDeque<Vec<usize>> = groups.into();
    while let Some(g) = work.pop_front() {
        let Some(first) = g.iter().position(|&l| header_like(l)) else {
            out.push(g);
            continue;
        };
        // The header may start a line or two early (项目 / 权重分 / 得分 …, whose first name is
        // no header word) or a line late (a title such as 项目得分情况如下： above it), and the
        // data rows may begin with header words of their own (产出指标 / 数量指标): of the
        // starts and widths whose header lines hold no figures, the one whose rows cover the
        // most lines wins.
        let mut best: Option<(usize, usize, Vec<Vec<usize>>)> = None;
        for h in first.saturating_sub(2)..=(first + 1).min(g.len()) {
            for k in 3..=12 {
                // (A form's fields above its table, "项目名称 / 2023年新城镇…提升项目 / 主管部门 /
                // 大悟县农业农村局", hold long values: column names are short.)
                if h + 2 * k > g.len()
                    || g[h..h + k].iter().any(|&l| !doc.line_nums[l].is_empty())
                    || g[h..h + k]
                        .iter()
                        .any(|&l| doc.lines[l].trim().chars().count() > 14)
                    || g[h..h + k].iter().filter(|&&l| header_like(l)).count() < 2
                {
                    continue;
                }
                let chunks = rows_after(&g, h, k);
                let rows = |c: &[Vec<usize>]| c[1..].iter().map(Vec::len).sum::<usize>();
                if chunks.len() >= 2
                    && best
                        .as_ref()
                        .is_none_or(|(_, _, b)| rows(&chunks) > rows(b))
                {
                    best = Some((h, k, chunks));
                }
            }
        }
        let Some((h, _, chunks)) = best else {
            out.push(g);
            continue;
        };
        let at = h + chunks.iter().map(Vec::len).sum::<usize>();
        if chunks.len() < 2 {
            out.push(g);
            continue;
        }
        if h >= 2 {
            out.push(g[..h].to_vec());
        }
        out.push(Vec::new());
        out.extend(chunks);
        out.push(Vec::new());
        if g.len() - at >= 2 {
            work.push_front(g[at..].to_vec());
        }
    }
    out
}

/// A 小计 / 合计 / 总分 label alone on its line.
fn total_label(doc: &Doc, l: usize) -> bool {
    let t = doc.lines[l].trim();
    doc.line_nums[l].is_empty()
        && t.chars().count() <= 8
        && crate::checks::scores::row_kind(t) != crate::checks::scores::RowKind::Item
}

/// The fiscal year: from the title (`2022年…自评报告`, `（2022年度）`), else the most frequent
/// year in the first lines.
fn fiscal_year(doc: &Doc) -> Option<i32> {
    for (i, l) in doc.lines.iter().enumerate().take(60) {
        let t = strip_debris(l);
        let titled = t.contains("自评")
            || t.contains("绩效评价")
            || t.contains("年度")
            || t.contains("项目名称");
        if !titled {
            continue;
        }
        if let Some(d) = doc.dates.iter().find(|d| d.line == i && d.month.is_none()) {
            let after = &doc.lines[i][d.end..];
            if after.starts_with('度') || t.contains("自评") || t.contains("项目名称") {
                return d.year;
            }
        }
    }
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for d in doc.dates.iter().filter(|d| d.line < 40 && !d.inherited) {
        if let Some(y) = d.year {
            match counts.iter_mut().find(|(yy, _)| *yy == y) {
                Some(c) => c.1 += 1,
                None => counts.push((y, 1)),
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(y, c)| (*c, -*y))
        .map(|(y, _)| y)
}

#[cfg(test)]
mod tests {
    use super::Doc;

    #[test]
    fn sentences_end_at_stops() {
        let doc = Doc::new(vec![
            "支出44.39万元；执行率92%。完成5万张;发放4万张！合计".into(),
        ]);
        let line = &doc.lines[0];
        let at = |w: &str| line.find(w).unwrap();
        let of = |w: &str| {
            let (s, e) = doc.sentence(0, at(w), at(w) + w.len());
            &line[s..e]
        };
        assert_eq!(of("44.39"), "支出44.39万元");
        assert_eq!(of("92%"), "执行率92%");
        assert_eq!(of("5万张"), "完成5万张");
        assert_eq!(of("4万张"), "发放4万张");
        assert_eq!(of("合计"), "合计");
        // A range that starts inside a character is read from the character's start.
        assert_eq!(
            doc.sentence(0, at("执行") + 1, at("执行") + 3),
            (at("执行"), at("。"))
        );
    }
}

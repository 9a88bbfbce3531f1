//! `jixiao convert` and `jixiao report --format xlsx` on the real binary, with workbooks
//! written and altered by another program (openpyxl, installed by scripts/test).

mod common;

use std::process::Command;

use common::{jixiao, stderr, stdout};

fn openpyxl(args: &[&str], dir: &std::path::Path) {
    let script = jixiao_testkit::workspace_root().join("tests/forms/openpyxl_forms.py");
    let out = Command::new("python3")
        .arg(script)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("python3 with openpyxl is installed by scripts/test");
    assert!(
        out.status.success(),
        "openpyxl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_form_filled_cell_by_cell_by_openpyxl_imports() {
    let dir = jixiao_testkit::TempDir::new("forms-openpyxl");
    openpyxl(&["fill", "filled.xlsx"], dir.path());
    let o = jixiao(&["convert", "filled.xlsx", "filled.toml"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("3 个绩效指标，2 条支出明细"),
        "{}",
        stdout(&o)
    );
    let text = std::fs::read_to_string(dir.path().join("filled.toml")).unwrap_or_default();
    let p = jixiao_core::file::project::read(text.as_bytes());
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    let p = p.value.unwrap_or_default();
    assert_eq!((p.year, p.code.as_str()), (2023, "53010023001"));
    // 50 万元 and 52 万元 in the form: exact yuan in the project.
    assert_eq!(p.budget.appropriation.yuan(), "500000.00");
    assert_eq!(p.budget.adjusted().yuan(), "520000.00");
    assert_eq!(p.budget.received().yuan(), "520000.00");
    // Dates typed as dates, amounts to the fen, ids typed as numbers.
    let spent: Vec<String> = p
        .budget
        .spending
        .iter()
        .map(|l| format!("{:?} {}", l.date.map(|d| d.to_string()), l.amount.yuan()))
        .collect();
    assert_eq!(
        spent,
        [
            "Some(\"2023-03-15\") 300000.50",
            "Some(\"2023-09-01\") 154999.50"
        ]
    );
    let ids: Vec<&str> = p.targets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    // "≥95%" typed in one cell: comparator, value and unit.
    let t2 = &p.targets[1];
    assert_eq!(
        (t2.comparator.symbol(), t2.display_value()),
        ("≥", "≥95%".to_owned())
    );
    // 180/200 is a rate from counts; evidence split at the semicolon.
    let t3 = p.targets[2]
        .actual
        .as_ref()
        .map(|a| format!("{:?}", a.value))
        .unwrap_or_default();
    assert!(t3.starts_with("Counts"), "{t3}");
    let ev = p.targets[0]
        .actual
        .as_ref()
        .map(|a| a.evidence.clone())
        .unwrap_or_default();
    assert_eq!(ev, ["培训签到表", "结业名册"]);
    // The imported project scores.
    let o = jixiao(
        &[
            "score",
            "filled.toml",
            "--framework",
            "mof-2020-self",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // 执行率 45.5 / 52 = 87.50 %.
    assert!(stdout(&o).contains("87.5"), "{}", stdout(&o));
}

#[test]
fn altered_forms_are_refused_naming_sheet_and_cell() {
    let dir = jixiao_testkit::TempDir::new("forms-altered");
    openpyxl(&["fill", "filled.xlsx"], dir.path());
    for (case, message) in [
        (
            "bad-actual",
            "工作表「项目支出绩效自评表」H15：实际完成值「约五十」不是数字",
        ),
        ("hidden-sheet", "工作表「项目支出绩效自评表」：工作表被隐藏"),
        (
            "ledger-mismatch",
            "工作表「项目支出绩效自评表」H6：全年执行数 45.50 万元与支出明细合计 56.85 万元不一致",
        ),
    ] {
        let altered = format!("{case}.xlsx");
        openpyxl(&["alter", "filled.xlsx", &altered, case], dir.path());
        let o = jixiao(&["convert", &altered, "out.toml"], dir.path());
        assert_eq!(o.status.code(), Some(2), "{case}");
        let err = stderr(&o);
        assert!(err.contains(message), "{case}: {err}");
        assert_eq!(
            err.matches("错误:").count(),
            1,
            "{case}: one problem, one message: {err}"
        );
        assert!(
            !dir.path().join("out.toml").exists(),
            "{case}: nothing is written"
        );
    }
}

#[test]
fn report_xlsx_and_convert_round_trip_the_example() {
    let dir = jixiao_testkit::TempDir::new("forms-cli");
    let example = jixiao_testkit::example("kunming-2022.toml");
    let example = example.to_str().unwrap_or_default();
    let o = jixiao(&["report", example, "--format", "xlsx"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let name = "2022年残疾人基层组织建设及服务经费绩效表.xlsx";
    assert!(stdout(&o).contains(name), "{}", stdout(&o));
    let o = jixiao(&["convert", name, "back.toml"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let o = jixiao(&["convert", "back.toml", "again.xlsx"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let o = jixiao(&["convert", "again.xlsx", "again.toml"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let a = std::fs::read_to_string(dir.path().join("back.toml")).unwrap_or_default();
    let b = std::fs::read_to_string(dir.path().join("again.toml")).unwrap_or_default();
    assert_eq!(a, b);
    // The computed score is the example's.
    let o = jixiao(&["score", "back.toml"], dir.path());
    assert!(stdout(&o).contains("22.15"), "{}", stdout(&o));
    // A score typed over a computed one is kept as computed, with a warning naming the cell.
    openpyxl(&["alter", name, "typed.xlsx", "typed-score"], dir.path());
    let o = jixiao(&["convert", "typed.xlsx", "typed.toml"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "警告: 工作表「项目支出绩效自评表」J13：填写的得分「1.50」与计算得分「无（无佐证）」不同"
        ),
        "{}",
        stderr(&o)
    );
    let typed = std::fs::read_to_string(dir.path().join("typed.toml")).unwrap_or_default();
    assert_eq!(typed, a, "the typed score changes nothing in the project");
    // Wrong directions are refused.
    let o = jixiao(&["convert", "back.toml", "x.docx"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("无法从 .toml 转换为 .docx"),
        "{}",
        stderr(&o)
    );
}

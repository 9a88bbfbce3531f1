//! The frameworks shipped inside the binary (the files under `frameworks/`).

use crate::error::{Error, Result};
use crate::framework::Framework;

/// (name, one-line description, TOML source) of every built-in framework.
pub const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "mof-2020-self",
        "单位自评表（财预〔2020〕10号）：预算执行率10、产出50、效益30、满意度10",
        include_str!("../../../frameworks/mof-2020-self.toml"),
    ),
    (
        "mof-2020-eval",
        "部门/财政评价指标体系框架（财预〔2020〕10号）：决策、过程、产出、效益，权重由评价设定",
        include_str!("../../../frameworks/mof-2020-eval.toml"),
    ),
    (
        "kunming-2022",
        "昆明市残联2022年自评四级指标体系：项目决策20、项目管理20、项目绩效60",
        include_str!("../../../frameworks/kunming-2022.toml"),
    ),
];

/// The TOML source of a built-in framework.
#[must_use]
pub fn source(name: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, _, s)| *s)
}

/// Loads a built-in framework by name.
///
/// # Errors
/// [`Error::UnknownFramework`] for an unknown name; [`Error::BadBuiltin`] if the embedded
/// file is invalid (a test guards against that).
pub fn load(name: &str) -> Result<Framework> {
    let src = source(name).ok_or_else(|| Error::UnknownFramework {
        name: name.to_owned(),
    })?;
    let loaded = crate::file::framework::read(src.as_bytes());
    match loaded.value {
        Some(fw) if !loaded.has_errors() => Ok(fw),
        _ => Err(Error::BadBuiltin {
            name: name.to_owned(),
            first: loaded
                .diagnostics
                .first()
                .map(|d| {
                    format!(
                        "{}: {}",
                        d.at.as_ref().map_or("", |l| l.path.as_str()),
                        d.problem
                    )
                })
                .unwrap_or_default(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads_without_problems() {
        for (name, _, src) in BUILTIN {
            let loaded = crate::file::framework::read(src.as_bytes());
            let msgs: Vec<String> = loaded
                .diagnostics
                .iter()
                .map(|d| format!("{:?}: {}", d.at, d.problem))
                .collect();
            assert!(msgs.is_empty(), "{name}: {msgs:#?}");
            let fw = loaded.value.unwrap();
            assert_eq!(fw.name, *name, "file name and [framework] name agree");
        }
    }
}

//! Writing a project file and reading it back gives the same project, for the example and
//! for generated variants with every kind of actual value and judgment.

#[path = "../benches/support/variants.rs"]
mod variants;

use jixiao_core::{builtin, file};

#[test]
fn written_project_files_read_back_equal() {
    let fw = builtin::load("kunming-2022").expect("built-in");
    let base = variants::example();
    let mut rng = variants::Lcg(7);
    for k in 0..200 {
        let p = variants::variant(&base, &fw, &mut rng);
        let text = file::write::project(&p);
        let back = file::project::read(text.as_bytes());
        assert!(!back.has_errors(), "variant {k}: {:?}", back.diagnostics);
        assert_eq!(back.value.as_ref(), Some(&p), "variant {k}:\n{text}");
    }
}

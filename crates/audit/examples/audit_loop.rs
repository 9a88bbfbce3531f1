//! Profiling aid: audits a file N times (`audit_loop FILE N [COPIES]`).

/// The allocator of the `jixiao` binary, so that timings match the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("a file");
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let copies: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let text = std::fs::read_to_string(path).expect("UTF-8 text");
    let lines = jixiao_audit::input::split_lines(&text);
    let lines: Vec<String> = (0..copies).flat_map(|_| lines.iter().cloned()).collect();
    let start = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..n {
        total += jixiao_audit::audit_lines(lines.clone(), &jixiao_audit::Options::default())
            .findings
            .len();
    }
    #[expect(clippy::print_stdout, reason = "a development tool")]
    {
        println!(
            "{n} audits of {} lines in {:?} ({total} findings)",
            lines.len(),
            start.elapsed()
        );
    }
}

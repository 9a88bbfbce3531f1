//! PDF by converting the generated DOCX with LibreOffice headless, so that one layout source
//! serves both formats. The fonts government documents name are mapped to installed CJK faces
//! by the fontconfig file shipped in `crates/report/fonts/jixiao-fonts.conf`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Error;

/// The fontconfig aliases (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, 宋体).
pub const FONTS_CONF: &str = include_str!("../fonts/jixiao-fonts.conf");

/// A private working folder, removed when dropped.
struct Work(PathBuf);

impl Drop for Work {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Converts `.docx` bytes to PDF bytes.
///
/// # Errors
/// [`Error::Tool`] naming the Debian package when LibreOffice is missing or fails.
pub fn from_docx(docx: &[u8]) -> Result<Vec<u8>, Error> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "jixiao-pdf-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let io = |e: std::io::Error| Error::Io(format!("无法准备 PDF 转换的临时文件：{e}"));
    std::fs::create_dir_all(&dir).map_err(io)?;
    let work = Work(dir);
    let src = work.0.join("report.docx");
    std::fs::write(&src, docx).map_err(io)?;
    let conf = work.0.join("fonts.conf");
    std::fs::write(&conf, FONTS_CONF).map_err(io)?;
    convert(&work.0, &src, &conf)?;
    std::fs::read(work.0.join("report.pdf"))
        .map_err(|e| Error::Tool(format!("LibreOffice 没有生成 PDF（{e}）")))
}

fn convert(dir: &Path, src: &Path, conf: &Path) -> Result<(), Error> {
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            dir.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
        ])
        .arg(dir)
        .arg(src)
        .env("FONTCONFIG_FILE", conf)
        .output()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::Tool(
                    "生成 PDF 需要 LibreOffice（soffice），但系统中没有安装；请安装 Debian 软件包 \
                     libreoffice-writer-nogui 和中文字体 fonts-noto-cjk（apt-get install \
                     libreoffice-writer-nogui fonts-noto-cjk）"
                        .into(),
                )
            } else {
                Error::Tool(format!("无法运行 soffice：{e}"))
            }
        })?;
    if !out.status.success() {
        return Err(Error::Tool(format!(
            "LibreOffice 转换 PDF 失败：{}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

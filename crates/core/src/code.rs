//! Short identifiers (indicator codes, target ids) kept inside their owner when they fit.
//!
//! Scoring compares every judgment's subject with a code; when a finance bureau scores tens
//! of thousands of projects at once, following a pointer to a separate heap string for each
//! of those comparisons costs more than all the arithmetic. A [`Code`] of up to
//! [`Code::INLINE`] bytes (seven Chinese characters, or any ordinary code such as `C1111` or
//! `T01`) lives in the judgment itself; longer ones fall back to the heap.

use std::cmp::Ordering;
use std::fmt;
use std::ops::Deref;

/// An identifier, compared and ordered as its text.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Code(Repr);

/// Inline exactly when the text fits, so equal texts always have equal representations and
/// the derived equality and hash are the text's.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Inline { len: u8, bytes: [u8; Code::INLINE] },
    Heap(Box<str>),
}

impl Code {
    /// The longest text, in bytes, kept inline.
    pub const INLINE: usize = 22;

    /// The code's text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Built from a `&str` cut at its own length, so always valid UTF-8.
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(s) => s,
        }
    }
}

impl Code {
    /// The length of the text in bytes, without reading the text.
    #[must_use]
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Inline { len, .. } => usize::from(*len),
            Repr::Heap(s) => s.len(),
        }
    }

    /// Whether the text is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<&str> for Code {
    fn from(s: &str) -> Code {
        if s.len() <= Code::INLINE {
            let mut bytes = [0_u8; Code::INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Code(Repr::Inline {
                len: u8::try_from(s.len()).unwrap_or(0),
                bytes,
            })
        } else {
            Code(Repr::Heap(s.into()))
        }
    }
}

impl From<String> for Code {
    fn from(s: String) -> Code {
        if s.len() <= Code::INLINE {
            Code::from(s.as_str())
        } else {
            Code(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl From<&String> for Code {
    fn from(s: &String) -> Code {
        Code::from(s.as_str())
    }
}

impl From<Code> for String {
    fn from(c: Code) -> String {
        c.as_str().to_owned()
    }
}

impl Default for Code {
    fn default() -> Code {
        Code::from("")
    }
}

impl Deref for Code {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Code {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Code> for String {
    fn eq(&self, other: &Code) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Code) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Code) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn short_and_long_codes_keep_their_text_and_equality() {
        for text in [
            "",
            "T01",
            "C1111",
            "满意度调查七个字",
            "一二三四五六七八九十",
            "A",
        ] {
            let a = Code::from(text);
            let b = Code::from(text.to_owned());
            assert_eq!(a.as_str(), text);
            assert_eq!(a, b);
            assert_eq!(a, text);
            assert_eq!(format!("{a}"), text);
        }
        // 22 bytes fit, 23 do not; both compare as their text.
        let at = "x".repeat(Code::INLINE);
        let over = "x".repeat(Code::INLINE + 1);
        assert_eq!(Code::from(at.as_str()).as_str(), at);
        assert_eq!(Code::from(over.as_str()).as_str(), over);
        assert_ne!(Code::from(at.as_str()), Code::from(over.as_str()));
        // Ordered as text, whether inline or not.
        let mut codes: Vec<Code> = ["y", over.as_str(), "T02", at.as_str(), "T01"]
            .into_iter()
            .map(Code::from)
            .collect();
        codes.sort();
        let sorted: Vec<&str> = codes.iter().map(Code::as_str).collect();
        assert_eq!(sorted, ["T01", "T02", at.as_str(), over.as_str(), "y"]);
    }
}

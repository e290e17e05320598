//! Share links: the whole design in the URL fragment, so a link opens the
//! design without any server (`…/#design=1.<data>`).
//!
//! `<data>` is the design's compact JSON, deflated and base64url-encoded.
//! The `1.` is the link format's version: a link from a newer Scale Lab
//! says so instead of failing obscurely. The fragment never reaches a server.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use scalesim::design::{DesignDoc, Problems};

/// Version of the link format written by this build.
pub const LINK_VERSION: u32 = 1;
/// What a design fragment starts with (after `#`).
pub const FRAGMENT_PREFIX: &str = "design=";
/// Largest design a link may expand to [bytes]: guards against a crafted
/// link that inflates to gigabytes.
const MAX_JSON: usize = 4 << 20;

/// Why a link could not be opened.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkError {
    /// The data is damaged or cut short (often: copied incompletely).
    Broken,
    /// Made by a newer Scale Lab, with a newer link format.
    NewerLink(u32),
    /// The data decoded, but is not a design this version can read.
    Design(Problems),
}

/// The fragment (without `#`) that opens `doc`.
pub fn encode(doc: &DesignDoc) -> String {
    let json = serde_json::to_vec(doc).expect("a DesignDoc always serializes");
    fragment_of(&pack(&json))
}

/// `json` deflated, as a link carries it.
pub fn pack(json: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(json, 9)
}

/// The fragment (without `#`) carrying the deflated bytes `packed`.
pub fn fragment_of(packed: &[u8]) -> String {
    format!(
        "{FRAGMENT_PREFIX}{LINK_VERSION}.{}",
        URL_SAFE_NO_PAD.encode(packed)
    )
}

/// Whether a URL fragment (without `#`) carries a design.
pub fn is_design_fragment(fragment: &str) -> bool {
    fragment.starts_with(FRAGMENT_PREFIX)
}

/// The design in a fragment made by [`encode`].
pub fn decode(fragment: &str) -> Result<DesignDoc, LinkError> {
    let body = fragment
        .strip_prefix(FRAGMENT_PREFIX)
        .ok_or(LinkError::Broken)?;
    let (version, data) = body.split_once('.').ok_or(LinkError::Broken)?;
    let version: u32 = version.parse().map_err(|_| LinkError::Broken)?;
    if version > LINK_VERSION {
        return Err(LinkError::NewerLink(version));
    }
    if version != LINK_VERSION {
        return Err(LinkError::Broken);
    }
    let packed = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|_| LinkError::Broken)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON)
        .map_err(|_| LinkError::Broken)?;
    let text = String::from_utf8(json).map_err(|_| LinkError::Broken)?;
    DesignDoc::from_json(&text).map_err(LinkError::Design)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> DesignDoc {
        DesignDoc::from_json(include_str!("../scenarios/dead-server-health-checks.json")).unwrap()
    }

    #[test]
    fn a_design_survives_the_round_trip_and_the_link_is_short() {
        let doc = example();
        let frag = encode(&doc);
        assert!(frag.starts_with("design=1."));
        assert!(frag.len() < 1_000, "{} characters", frag.len());
        assert!(
            frag.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"=._-".contains(&b))
        );
        assert_eq!(decode(&frag), Ok(doc));
    }

    #[test]
    fn damaged_truncated_and_newer_links_say_what_is_wrong() {
        let frag = encode(&example());
        assert_eq!(decode(&frag[..frag.len() - 7]), Err(LinkError::Broken));
        assert_eq!(decode(&frag[..12]), Err(LinkError::Broken));
        assert_eq!(decode("design=1.%%%"), Err(LinkError::Broken));
        assert_eq!(decode("design=banana"), Err(LinkError::Broken));
        assert_eq!(
            decode(&frag.replacen("design=1.", "design=7.", 1)),
            Err(LinkError::NewerLink(7))
        );
        let newer_design = DesignDoc {
            version: 9,
            ..DesignDoc::default()
        };
        assert!(matches!(
            decode(&encode(&newer_design)),
            Err(LinkError::Design(_))
        ));
    }

    #[test]
    fn a_link_cannot_inflate_without_bound() {
        let bomb = vec![b' '; MAX_JSON * 2];
        let packed = miniz_oxide::deflate::compress_to_vec(&bomb, 9);
        let frag = format!("design=1.{}", URL_SAFE_NO_PAD.encode(packed));
        assert_eq!(decode(&frag), Err(LinkError::Broken));
    }
}

//! A small element tree built from quick-xml's namespace-aware events.
//!
//! PSKC files are small, and a tree lets the reader look things up by path instead of
//! keeping a state machine. Elements are matched by local name: vendors and even RFC 6030's
//! own examples put some elements in unexpected namespaces. Only the root's namespace is
//! checked. DTDs are refused, so no entity is ever expanded.

use quick_xml::NsReader;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use crate::import::ImportError;

/// Nesting deeper than this is refused; real PSKC files go about 8 levels deep.
const MAX_DEPTH: usize = 64;

/// One XML element with its text content (direct children's text not included).
#[derive(Debug, Default)]
pub(super) struct Element {
    pub namespace: Option<String>,
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
    /// 1-based line of the start tag.
    pub line: usize,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    /// All children with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// Follows a path of local names from this element.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        names
            .iter()
            .try_fold(self, |element, name| element.child(name))
    }

    /// An attribute's value by local name.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        let found = self.attributes.iter().find(|(key, _)| key == name);
        found.map(|(_, value)| value.as_str())
    }

    /// The text content without surrounding whitespace.
    pub fn trimmed_text(&self) -> &str {
        self.text.trim()
    }

    /// Whether this element or any descendant has this local name.
    pub fn contains(&self, name: &str) -> bool {
        self.name == name || self.children.iter().any(|child| child.contains(name))
    }
}

/// Parses a whole document into its root element.
pub(super) fn parse(xml: &[u8]) -> Result<Element, ImportError> {
    let mut reader = NsReader::from_reader(xml);
    let mut lines = LineCounter::default();
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;

    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|error| {
            ImportError::MalformedXml(format!("{error} (at byte {})", reader.error_position()))
        })?;
        match event {
            Event::Start(tag) | Event::Empty(tag) if root.is_some() && open.is_empty() => {
                let name = String::from_utf8_lossy(tag.local_name().as_ref()).into_owned();
                return Err(malformed(format!("a second root element <{name}>")));
            }
            Event::Start(tag) => {
                if open.len() >= MAX_DEPTH {
                    return Err(malformed(format!(
                        "elements nested deeper than {MAX_DEPTH}"
                    )));
                }
                open.push(element(&reader, &tag, lines.line_at(xml, start))?);
            }
            Event::Empty(tag) => {
                let done = element(&reader, &tag, lines.line_at(xml, start))?;
                close(&mut open, &mut root, done);
            }
            Event::End(_) => {
                let done = open
                    .pop()
                    .ok_or_else(|| malformed("an unmatched end tag".into()))?;
                close(&mut open, &mut root, done);
            }
            Event::Text(text) => {
                let text = text.decode().map_err(|e| malformed(e.to_string()))?;
                append_text(&mut open, &text)?;
            }
            Event::CData(data) => {
                let text = data.decode().map_err(|e| malformed(e.to_string()))?;
                append_text(&mut open, &text)?;
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(character)) => character.to_string(),
                    Ok(None) => {
                        let name = reference.decode().map_err(|e| malformed(e.to_string()))?;
                        let known = resolve_xml_entity(&name);
                        known
                            .ok_or_else(|| malformed(format!("unknown entity &{name};")))?
                            .into()
                    }
                    Err(error) => return Err(malformed(error.to_string())),
                };
                append_text(&mut open, &resolved)?;
            }
            Event::DocType(_) => {
                return Err(malformed(
                    "document type declarations are not accepted".into(),
                ));
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof if open.is_empty() => break,
            Event::Eof => return Err(malformed("the file ends inside an element".into())),
        }
    }
    root.ok_or_else(|| malformed("the file holds no element".into()))
}

fn malformed(message: String) -> ImportError {
    ImportError::MalformedXml(message)
}

fn element(
    reader: &NsReader<&[u8]>,
    tag: &BytesStart<'_>,
    line: usize,
) -> Result<Element, ImportError> {
    let namespace = match reader.resolve_element(tag.name()).0 {
        ResolveResult::Bound(ns) => Some(String::from_utf8_lossy(ns.as_ref()).into_owned()),
        ResolveResult::Unbound => None,
        ResolveResult::Unknown(prefix) => {
            let prefix = String::from_utf8_lossy(&prefix).into_owned();
            return Err(malformed(format!("undeclared namespace prefix {prefix:?}")));
        }
    };
    let mut attributes = Vec::new();
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|error| malformed(error.to_string()))?;
        let key = attribute.key;
        if key.as_namespace_binding().is_some() {
            continue;
        }
        let value = attribute
            .decode_and_unescape_value(reader.decoder())
            .map_err(|error| malformed(error.to_string()))?;
        let name = String::from_utf8_lossy(key.local_name().as_ref()).into_owned();
        attributes.push((name, value.into_owned()));
    }
    Ok(Element {
        namespace,
        name: String::from_utf8_lossy(tag.local_name().as_ref()).into_owned(),
        attributes,
        line,
        ..Element::default()
    })
}

fn close(open: &mut [Element], root: &mut Option<Element>, done: Element) {
    match open.last_mut() {
        Some(parent) => parent.children.push(done),
        None => *root = Some(done),
    }
}

fn append_text(open: &mut [Element], text: &str) -> Result<(), ImportError> {
    match open.last_mut() {
        Some(parent) => parent.text.push_str(text),
        None if text.trim().is_empty() => {}
        None => return Err(malformed("text outside the root element".into())),
    }
    Ok(())
}

/// Turns byte offsets into line numbers, counting each newline once.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: usize,
}

impl LineCounter {
    fn line_at(&mut self, xml: &[u8], offset: usize) -> usize {
        let offset = offset.min(xml.len()).max(self.offset);
        self.newlines += xml[self.offset..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.offset = offset;
        self.newlines + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_keeps_namespaces_attributes_text_and_lines() {
        let xml = b"<?xml version='1.0'?>\n<a xmlns='urn:x' xmlns:p='urn:p'>\n  \
            <p:b Id='1 &amp; 2'>x&lt;y&#65;<![CDATA[<z>]]></p:b>\n<c/></a>";
        let root = parse(xml).unwrap();
        assert_eq!(
            (root.name.as_str(), root.namespace.as_deref()),
            ("a", Some("urn:x"))
        );
        assert_eq!(root.line, 2);
        let b = root.child("b").unwrap();
        assert_eq!(b.namespace.as_deref(), Some("urn:p"));
        assert_eq!(b.attribute("Id"), Some("1 & 2"));
        assert_eq!(b.text, "x<yA<z>");
        assert_eq!(b.line, 3);
        assert_eq!(root.path(&["c"]).unwrap().line, 4);
        assert!(
            root.attributes.is_empty(),
            "namespace bindings are not attributes"
        );
    }

    #[test]
    fn broken_or_risky_documents_are_refused_as_malformed() {
        let documents: [&[u8]; 9] = [
            b"",
            b"<a>",
            b"<a></b>",
            b"<a/><b/>",
            b"text<a/>",
            b"<a>&custom;</a>",
            b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>",
            b"<p:a/>",
            b"<a>\xff</a>",
        ];
        for xml in documents {
            let result = parse(xml);
            assert!(
                matches!(result, Err(ImportError::MalformedXml(_))),
                "{:?}: {result:?}",
                String::from_utf8_lossy(xml)
            );
        }
    }

    #[test]
    fn deep_nesting_is_refused_before_it_can_exhaust_the_stack() {
        let xml = "<a>".repeat(10_000);
        let error = parse(xml.as_bytes()).unwrap_err();
        assert!(
            matches!(&error, ImportError::MalformedXml(m) if m.contains("deeper")),
            "{error}"
        );
    }
}

//! Turns an uploaded SVG floor plan into the drawing that is stored and served. The upload is
//! parsed (nothing fetched, the node count bounded, no entities of its own declared) and written
//! again from an allow-list: drawing elements only (no script, no foreignObject, no
//! animation, no embedded HTML), no event handler attributes, no reference outside the drawing
//! (`href` and `url(…)` to `#fragments` only; embedded raster images as `data:` URLs), no CSS
//! that imports or escapes, no `<use>` that multiplies other `<use>`s (the SVG form of the
//! "billion laughs": a few kilobytes that make a viewer's browser draw billions of shapes).
//! Editors' own namespaces (Inkscape, Illustrator) and comments are left out. The result is also only ever served as an image (see `web::pages::floor_plan`), so
//! a browser would neither run a script nor load anything from it even if one slipped through.
//!
//! This is CPU-bound work on up to [`MAX_PLAN_BYTES`]: callers run it on a blocking thread.

use std::collections::{HashMap, HashSet};

use quick_xml::escape::escape;
use roxmltree::{Document, Node, NodeId, NodeType, ParsingOptions};
use sha2::{Digest, Sha256};

use crate::domain::floor_plan::{MAX_PLAN_BYTES, MAX_PLAN_NODES};

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// The SVG elements a plan may hold: shapes, text, grouping, paint servers, clipping and the
/// common filters. `a` is kept as a plain group (a link in an image leads nowhere).
const ALLOWED_ELEMENTS: [&str; 38] = [
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "title",
    "desc",
    "switch",
    "a",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "image",
    "style",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "marker",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComposite",
    "feFlood",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feOffset",
    "feDropShadow",
];

/// Elements whose text is part of the drawing; text elsewhere is layout whitespace.
const TEXT_HOLDERS: [&str; 6] = ["text", "tspan", "textPath", "title", "desc", "style"];

/// The raster images a plan may embed (as `data:` URLs on `image`).
const EMBEDDED_IMAGES: [&str; 4] = ["data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;"];

/// How many namespace declarations (`xmlns`) a plan may hold.
const MAX_PLAN_NAMESPACES: usize = 100;

/// How deep nodes may lie (the `svg` element at 1, its text at the level below its element):
/// editors nest groups a few dozen levels deep at most.
const MAX_PLAN_DEPTH: usize = 256;

/// Where the proportions of a plan must lie (the longer side at most this many times the other).
const MAX_ASPECT: f64 = 10.0;

/// A plan ready to be stored.
#[derive(Debug, Clone)]
pub struct CleanPlan {
    pub svg: String,
    /// The drawing's proportions, the longer side 1000.
    pub width: i32,
    pub height: i32,
    /// Hex of the first 16 bytes of the drawing's SHA-256: the address of this content.
    pub content_hash: String,
    /// How many elements and attributes were left out for reaching outside the drawing,
    /// running code (scripts, handlers, outside links) or multiplying the drawing (`<use>`s
    /// past the budget); editors' metadata is not counted.
    pub removed: usize,
}

/// Why an upload cannot be used; `code` names the message the form shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PlanRefusal {
    /// Larger than [`MAX_PLAN_BYTES`] or [`MAX_PLAN_NODES`], before or after cleaning.
    #[error("the plan is too large")]
    TooBig,
    /// Not UTF-8 XML with an `svg` root in the SVG namespace.
    #[error("not an SVG drawing")]
    NotSvg,
    /// Neither a usable `viewBox` nor `width` and `height`, or proportions past 1:10.
    #[error("the drawing has no usable size")]
    NoSize,
    /// Declares entities of its own (an old export format, and a way to blow up the parser).
    #[error("the drawing declares entities")]
    Entities,
    /// Elements nested deeper than [`MAX_PLAN_DEPTH`] levels, or more than
    /// [`MAX_PLAN_NAMESPACES`] namespace declarations.
    #[error("the drawing is nested too deeply or declares too many namespaces")]
    TooComplex,
}

impl PlanRefusal {
    /// The stable code of the form's message.
    pub fn code(self) -> &'static str {
        match self {
            PlanRefusal::TooBig => "plan-too-big",
            PlanRefusal::NotSvg => "plan-not-svg",
            PlanRefusal::NoSize => "plan-no-size",
            PlanRefusal::Entities => "plan-entities",
            PlanRefusal::TooComplex => "plan-too-complex",
        }
    }
}

/// Parses, checks and writes the plan again from the allow-list.
///
/// # Errors
/// A [`PlanRefusal`] saying what is wrong with the upload.
pub fn sanitise(upload: &[u8]) -> Result<CleanPlan, PlanRefusal> {
    if upload.len() > MAX_PLAN_BYTES {
        return Err(PlanRefusal::TooBig);
    }
    let text = std::str::from_utf8(upload).map_err(|_| PlanRefusal::NotSvg)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // roxmltree bounds nested entity references but not a long entity referenced many times at
    // the top level (a 2 MB file could expand to gigabytes); drawings need no entities of their
    // own, so a DTD may name its public DTD but declare none.
    if text.contains("<!ENTITY") {
        return Err(PlanRefusal::Entities);
    }
    // roxmltree copies the namespaces in scope for each element that declares one, and checks
    // each copy against the others: thousands of nested declarations would cost hours. Editors
    // declare a handful on the root.
    if text.matches("xmlns").count() > MAX_PLAN_NAMESPACES {
        return Err(PlanRefusal::TooComplex);
    }
    // A DTD is allowed for its public name only (no entities, see above; nothing is fetched).
    let options = ParsingOptions { allow_dtd: true, nodes_limit: MAX_PLAN_NODES, ..ParsingOptions::default() };
    let document = Document::parse_with_options(text, options).map_err(|error| match error {
        roxmltree::Error::NodesLimitReached => PlanRefusal::TooBig,
        _ => PlanRefusal::NotSvg,
    })?;
    let root = document.root_element();
    if root.tag_name().namespace() != Some(SVG_NS) || root.tag_name().name() != "svg" {
        return Err(PlanRefusal::NotSvg);
    }
    let (view_box, plan_width, plan_height) = size_of(root).ok_or(PlanRefusal::NoSize)?;
    let layout = Layout::of(&document);
    // The cleaner writes the drawing again by recursion: a file of a hundred thousand nested
    // groups would exhaust its thread's stack.
    if layout.deepest > MAX_PLAN_DEPTH {
        return Err(PlanRefusal::TooComplex);
    }
    let mut cleaner =
        Cleaner { out: String::with_capacity(text.len()), removed: 0, uses_left_out: uses_past_budget(&layout) };
    cleaner.out.push_str("<svg");
    cleaner.attribute("xmlns", SVG_NS);
    cleaner.attribute("viewBox", &view_box);
    cleaner.attributes(root, &["width", "height", "x", "y", "viewBox"]);
    cleaner.out.push('>');
    cleaner.children(root);
    cleaner.out.push_str("</svg>");
    let svg = cleaner.out;
    if svg.len() > MAX_PLAN_BYTES {
        return Err(PlanRefusal::TooBig);
    }
    let content_hash = hex::encode(Sha256::digest(svg.as_bytes()).get(..16).unwrap_or_default());
    Ok(CleanPlan { svg, width: plan_width, height: plan_height, content_hash, removed: cleaner.removed })
}

/// The viewBox to write and the proportions (longer side 1000), from the root's `viewBox` or
/// else its `width` and `height` (plain numbers or one unit; percentages say nothing).
fn size_of(root: Node<'_, '_>) -> Option<(String, i32, i32)> {
    let numbers = |text: &str| -> Option<Vec<f64>> {
        text.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|part| !part.is_empty())
            .map(|part| part.parse::<f64>().ok().filter(|n| n.is_finite()))
            .collect()
    };
    let length = |name: &str| -> Option<f64> {
        let value = root.attribute(name)?.trim();
        let number = value.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        number.parse::<f64>().ok().filter(|n| n.is_finite() && *n > 0.0)
    };
    let (view_box, w, h) = match root.attribute("viewBox").and_then(numbers).as_deref() {
        Some(&[x, y, w, h]) if w > 0.0 && h > 0.0 => (format!("{x} {y} {w} {h}"), w, h),
        _ => {
            let (w, h) = (length("width")?, length("height")?);
            (format!("0 0 {w} {h}"), w, h)
        }
    };
    let longer = w.max(h);
    if longer / w.min(h) > MAX_ASPECT {
        return None;
    }
    // Both are at most 1000 and at least 100 (the aspect bound): the casts cannot truncate.
    #[allow(clippy::cast_possible_truncation)]
    let side = |s: f64| ((s / longer * 1000.0).round() as i32).max(1);
    Some((view_box, side(w), side(h)))
}

/// The cleaned drawing as it is written, and the count of what was left out. Every element is
/// written with an end tag; text and attribute values are escaped again (the parser unescaped
/// them), so nothing read can close a tag or open one.
struct Cleaner {
    out: String,
    removed: usize,
    /// The `<use>` elements [`uses_past_budget`] left out.
    uses_left_out: HashSet<NodeId>,
}

impl Cleaner {
    fn children(&mut self, parent: Node<'_, '_>) {
        let keeps_text = TEXT_HOLDERS.contains(&parent.tag_name().name());
        for node in parent.children() {
            match node.node_type() {
                NodeType::Element => self.element(node),
                NodeType::Text if keeps_text => {
                    if let Some(text) = node.text() {
                        self.out.push_str(&escape_text(text));
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, node: Node<'_, '_>) {
        let tag = node.tag_name();
        if self.uses_left_out.contains(&node.id()) {
            self.removed += 1;
            return;
        }
        // The same rule the use budget reads (`Layout`), so both see one drawing.
        if !is_written_element(node) {
            // SVG's and HTML's own elements left out (outside the list, or a style sheet that
            // reaches out) are what could run or load something; other namespaces are editors'
            // metadata, left out without a count.
            if matches!(tag.namespace(), Some(SVG_NS | XHTML_NS)) {
                self.removed += 1;
            }
            return;
        }
        let name = if tag.name() == "a" { "g" } else { tag.name() };
        let style = (tag.name() == "style").then(|| all_text(node));
        self.out.push('<');
        self.out.push_str(name);
        self.attributes(node, &[]);
        self.out.push('>');
        match style {
            Some(css) => self.out.push_str(&escape_text(&css)),
            // What a `<use>` holds is never drawn (it draws its target): left out, so no link can
            // name an element there that the use budget does not see.
            None if tag.name() == "use" => {}
            None => self.children(node),
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn attribute(&mut self, name: &str, value: &str) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.out.push_str(&escape_attribute(value));
        self.out.push('"');
    }

    /// The attributes of an allowed element, less `skipped` and whatever reaches out or runs.
    fn attributes(&mut self, node: Node<'_, '_>, skipped: &[&str]) {
        let element = node.tag_name().name();
        // SVG 2's `href` wins over SVG 1's `xlink:href`; both written would be one attribute twice.
        let has_href = node.attributes().any(|a| a.namespace().is_none() && a.name() == "href");
        for attribute in node.attributes() {
            let name = match (attribute.namespace(), attribute.name()) {
                (None, name) if skipped.contains(&name) => continue,
                (None, name) => name,
                (Some(XLINK_NS), "href") if has_href => continue,
                (Some(XLINK_NS), "href") => "href",
                (Some(XML_NS), "space") => "xml:space",
                // Other namespaces are editors' data.
                _ => continue,
            };
            let value = attribute.value();
            let lowered = value.to_ascii_lowercase();
            let allowed = if name.len() > 2 && name[..2].eq_ignore_ascii_case("on") {
                false
            } else if name == "href" {
                let target = lowered.trim_start();
                target.starts_with('#') || (element == "image" && EMBEDDED_IMAGES.iter().any(|p| target.starts_with(p)))
            } else {
                // Presentation attributes are CSS values too (`fill="url(…)"`, escapes and all).
                css_is_local(value)
            };
            if allowed {
                self.attribute(name, value);
            } else {
                self.removed += 1;
            }
        }
    }
}

/// The `<use>` elements to leave out so that the drawing a browser renders stays within
/// [`MAX_PLAN_NODES`] more nodes than the file holds. A `<use>` draws a copy of its target;
/// nested, each level multiplies the one below (ten uses of ten uses of … is 10ⁿ copies from a
/// few lines). So a `<use>` whose target holds a `<use>` (or is one, or holds the `<use>`
/// itself) is left out, and the others may copy at most [`MAX_PLAN_NODES`] nodes together, in
/// document order. Plans drawn by hand or exported by an editor use symbols of furniture and
/// rooms, one level deep, far below that.
///
/// A browser must not find a target this count did not weigh, so the count reads the drawing
/// as the cleaner writes it: the `href` it writes (see [`link_of`]), ids without a namespace on
/// elements it writes, and only plain ids in links — a `<use>` whose `#id` is escaped or
/// percent-encoded (browsers may decode it to another element's id), or names no written element,
/// is left out (it would draw nothing else). Where several elements carry one id, the heaviest
/// counts. One pass over the document and one per id: linear in its size.
fn uses_past_budget(layout: &Layout<'_, '_>) -> HashSet<NodeId> {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (at, node) in layout.nodes.iter().enumerate() {
        let id = node.attributes().find(|a| a.namespace().is_none() && a.name() == "id").map(|a| a.value());
        // The cleaner writes an id only where it writes the element and the value passes its check.
        if let Some(id) = id.filter(|id| layout.written.get(at) == Some(&true) && css_is_local(id)) {
            by_id.entry(id).or_default().push(at);
        }
    }
    // What a copy of an id's element costs (the heaviest of several): its nodes, or `None` when
    // one of them holds a `<use>`.
    let copy_cost: HashMap<&str, Option<usize>> = by_id
        .iter()
        .map(|(id, places)| {
            let cost = places.iter().try_fold(0, |heaviest, &at| layout.copy_cost(at).map(|c| c.max(heaviest)));
            (*id, cost)
        })
        .collect();
    let plain = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':');
    let mut budget = usize::try_from(MAX_PLAN_NODES).unwrap_or(usize::MAX);
    let mut left_out = HashSet::new();
    for (at, node) in layout.nodes.iter().enumerate() {
        if !(layout.is_use(at) && layout.written.get(at) == Some(&true)) {
            continue;
        }
        let Some(href) = link_of(*node).filter(|href| href.trim_start().starts_with('#')) else {
            continue; // draws nothing, or the cleaner drops its outside link
        };
        // The value as written, untrimmed: a browser's URL parser trims and decodes otherwise
        // than `str::trim` (no-break spaces, percent escapes), so only a plain name is weighed.
        let fragment = href.strip_prefix('#').filter(|f| !f.is_empty() && f.chars().all(plain));
        let cost = fragment.and_then(|f| copy_cost.get(f));
        match cost {
            Some(Some(copied)) if *copied <= budget => budget -= copied,
            _ => {
                left_out.insert(node.id());
            }
        }
    }
    left_out
}

/// The parsed document in document order (a parent before its children, a subtree one run of
/// positions), with what [`uses_past_budget`] weighs.
struct Layout<'a, 'input> {
    nodes: Vec<Node<'a, 'input>>,
    /// The position of each node's last descendant (its own when it has none).
    ends: Vec<usize>,
    /// How many elements named `use` (in any namespace) come before each position; one more
    /// entry than there are nodes.
    uses_before: Vec<usize>,
    /// Whether the cleaner writes the element: an allowed SVG element whose parents it writes,
    /// not inside a `<use>` (whose content no link may name).
    written: Vec<bool>,
    /// How deep the deepest node lies (the `svg` element at 1).
    deepest: usize,
}

impl<'a, 'input> Layout<'a, 'input> {
    fn of(document: &'a Document<'input>) -> Self {
        let nodes: Vec<Node<'a, 'input>> = document.root().descendants().collect();
        let position: HashMap<NodeId, usize> = nodes.iter().enumerate().map(|(at, node)| (node.id(), at)).collect();
        let parent_of = |node: &Node<'_, '_>| node.parent().and_then(|parent| position.get(&parent.id()).copied());
        let mut uses_before = Vec::with_capacity(nodes.len() + 1);
        uses_before.push(0);
        let (mut written, mut opens_to_written, mut depths) = (Vec::new(), Vec::new(), Vec::new());
        for node in &nodes {
            let parent = parent_of(node);
            let parent_open = parent.is_none_or(|p| opens_to_written.get(p) == Some(&true));
            let is_written = parent_open && node.is_element() && is_written_element(*node);
            written.push(is_written);
            // A `<use>`'s content is not written, nor a style sheet's (only its text).
            let holds_drawing = !is_use_element(node) && node.tag_name().name() != "style";
            opens_to_written.push(node.is_root() || (is_written && holds_drawing));
            depths.push(parent.and_then(|p| depths.get(p).copied()).map_or(0, |d: usize| d + 1));
            uses_before.push(uses_before.last().copied().unwrap_or(0) + usize::from(is_use_element(node)));
        }
        // From the end: a node's last child comes after it, so its end is known already.
        let mut ends: Vec<usize> = (0..nodes.len()).collect();
        for at in (0..nodes.len()).rev() {
            let end = nodes
                .get(at)
                .and_then(Node::last_child)
                .and_then(|child| position.get(&child.id()))
                .and_then(|&child| ends.get(child).copied());
            if let (Some(end), Some(slot)) = (end, ends.get_mut(at)) {
                *slot = end;
            }
        }
        let deepest = depths.iter().copied().max().unwrap_or(0);
        Layout { nodes, ends, uses_before, written, deepest }
    }

    fn is_use(&self, at: usize) -> bool {
        self.nodes.get(at).is_some_and(is_use_element)
    }

    /// What a copy of the element at `at` draws: its subtree's node count, or `None` when it
    /// holds a `<use>` (or is one).
    fn copy_cost(&self, at: usize) -> Option<usize> {
        let end = *self.ends.get(at)?;
        let uses = self.uses_before.get(end + 1)?.checked_sub(*self.uses_before.get(at)?)?;
        (uses == 0).then_some(end - at + 1)
    }
}

/// Whether the node is an element named `use`, in any namespace (counted wherever it stands).
fn is_use_element(node: &Node<'_, '_>) -> bool {
    node.is_element() && node.tag_name().name() == "use"
}

/// Whether the cleaner writes this element (given that it writes its parent). A style sheet is
/// checked as one text: its pieces (split by a comment or a CDATA section) could form what each
/// alone does not.
fn is_written_element(node: Node<'_, '_>) -> bool {
    let tag = node.tag_name();
    tag.namespace() == Some(SVG_NS)
        && ALLOWED_ELEMENTS.contains(&tag.name())
        && (tag.name() != "style" || css_is_local(&all_text(node)))
}

/// The link an element is written with: SVG 2's `href` (without a namespace) wins over SVG 1's
/// `xlink:href`; an `href` in any other namespace is editors' data and never written.
fn link_of<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    let named = |namespace: Option<&str>| {
        node.attributes().find(|a| a.namespace() == namespace && a.name() == "href").map(|a| a.value())
    };
    named(None).or_else(|| named(Some(XLINK_NS)))
}

/// Text content escaped for writing. A carriage return is written as a reference: XML parsers
/// turn a literal one into a line feed, so the drawing would change when read again.
fn escape_text(text: &str) -> String {
    escape(text).replace('\r', "&#13;")
}

/// An attribute value escaped for writing. Tabs and line breaks are written as references: XML
/// parsers turn literal ones in attribute values into spaces, so the drawing would change when
/// read again.
fn escape_attribute(value: &str) -> String {
    escape(value).replace('\t', "&#9;").replace('\n', "&#10;").replace('\r', "&#13;")
}

/// The text of an element's own text children, joined.
fn all_text(node: Node<'_, '_>) -> String {
    node.children().filter(Node::is_text).filter_map(|child| child.text()).collect()
}

/// Whether CSS (a `style` attribute or element, a paint value) stays inside the drawing: every
/// `url(…)` names a `#fragment`, nothing is imported, and no escape could hide either.
fn css_is_local(css: &str) -> bool {
    let lowered = css.to_ascii_lowercase();
    const REACHING_OUT: [&str; 10] = [
        "@import",
        "javascript:",
        "expression(",
        "-moz-binding",
        "behavior",
        "image-set(",
        "image(",
        "src(",
        "cross-fade(",
        "element(",
    ];
    if lowered.contains('\\') || REACHING_OUT.iter().any(|word| lowered.contains(word)) {
        return false;
    }
    lowered.split("url(").skip(1).all(|rest| rest.trim_start().trim_start_matches(['"', '\'']).starts_with('#'))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const HOSTILE: &str = r##"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="800" height="400" onload="alert(1)">
  <!-- drawn by hand -->
  <script>alert(2)</script>
  <style>@import url(https://evil.example/x.css); rect { fill: red }</style>
  <style>.wall { stroke: #333 } .hatch { fill: url(#hatch) }</style>
  <defs><pattern id="hatch" width="4" height="4"><path d="M0 0 L4 4" stroke="#999"/></pattern></defs>
  <g inkscape:label="Erdgeschoss" style="background: url('https://evil.example/p.png')">
    <rect class="wall" x="10" y="10" width="780" height="380" fill="url(#hatch)" onclick="steal()"/>
    <text x="50" y="50">Raum 1 &amp; 2</text>
    <a xlink:href="javascript:alert(3)"><circle cx="1" cy="1" r="1"/></a>
    <image href="https://evil.example/track.gif" width="1" height="1"/>
    <image xlink:href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>
    <use xlink:href="#hatch"/>
    <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>
    <animate attributeName="href" to="javascript:alert(4)"/>
  </g>
</svg>"##;

    #[test]
    fn scripts_handlers_and_outside_references_are_left_out() {
        let plan = cleaned(HOSTILE);
        let svg = &plan.svg;
        for gone in [
            "script",
            "alert",
            "onload",
            "onclick",
            "evil.example",
            "@import",
            "foreignObject",
            "animate",
            "inkscape",
            "<!--",
            "DOCTYPE",
            "javascript",
        ] {
            assert!(!svg.contains(gone), "{gone} is left in: {svg}");
        }
        for kept in [
            "viewBox=\"0 0 800 400\"",
            "fill=\"url(#hatch)\"",
            "Raum 1 &amp; 2",
            ".wall { stroke: #333 }",
            "href=\"#hatch\"",
            "data:image/png;base64",
            "<g>",
        ] {
            assert!(svg.contains(kept), "{kept} is missing: {svg}");
        }
        // onload, the @import style, script, onclick, the g's style, the link's href, the outside
        // image's href, foreignObject, animate.
        assert_eq!(plan.removed, 9);
        assert_eq!((plan.width, plan.height), (1000, 500));
        assert_eq!(plan.content_hash.len(), 32);
    }

    /// Cleans `svg` and checks that what comes out needs no cleaning.
    fn cleaned(svg: &str) -> CleanPlan {
        let plan = sanitise(svg.as_bytes()).unwrap();
        let again = sanitise(plan.svg.as_bytes()).unwrap();
        assert_eq!((again.removed, &again.svg), (0, &plan.svg), "cleaning twice changes nothing");
        plan
    }

    #[test]
    fn tricks_around_the_checks_are_caught() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
  <style><!-- a comment first -->@import url(https://evil.example/a.css);</style>
  <style>@im<!-- split -->port url(https://evil.example/b.css);</style>
  <style><![CDATA[.a { fill: #000 }]]> .b { fill: url(#g) }</style>
  <rect fill="\75 rl(https://evil.example/c.svg#g)" width="1" height="1"/>
  <rect style="background: image-set('https://evil.example/d.png' 1x)" width="1" height="1"/>
  <defs><rect id="a" width="1" height="1"/><rect id="b" width="1" height="1"/></defs>
  <use href="#a" x:href="https://evil.example/e.svg#a"/>
  <use x:href="#b"/>
  <svg:rect xmlns:svg="http://www.w3.org/2000/svg" width="2" height="2" ONCLICK="x()"/>
</svg>"##;
        let plan = cleaned(svg);
        assert!(!plan.svg.contains("evil.example") && !plan.svg.contains("@im"), "{}", plan.svg);
        assert!(plan.svg.contains("<style>.a { fill: #000 } .b { fill: url(#g) }</style>"), "{}", plan.svg);
        assert!(
            plan.svg.contains("<use href=\"#a\"></use>") && plan.svg.contains("<use href=\"#b\"></use>"),
            "{}",
            plan.svg
        );
        assert!(
            plan.svg.contains("<rect width=\"2\" height=\"2\"></rect>"),
            "a prefixed SVG element stays: {}",
            plan.svg
        );
        // Two style sheets, the escaped fill, the image-set style, ONCLICK.
        assert_eq!(plan.removed, 5, "{}", plan.svg);
    }

    #[test]
    fn uses_of_uses_are_left_out() {
        // Ten uses of ten uses of ten uses of a rectangle: a thousand rectangles from a few lines,
        // and each further level ten times more.
        let tens = |id: &str| format!("<use href=\"#{id}\"/>").repeat(10);
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs>
  <g id="a"><rect width="1" height="1"/></g>
  <g id="b">{}</g>
  <g id="c">{}</g>
  <use id="d" href="#a"/>
  <g id="self"><use href="#self"/></g>
</defs>
<use href="#c"/><use href="#d"/><use href="#a" x="2"/><use href="#nowhere"/><use href="#%61"/>
<rect id="twice" width="1" height="1"/><g id="twice"><use href="#a"/></g><use href="#twice"/></svg>"##,
            tens("a"),
            tens("b")
        );
        let plan = cleaned(&svg);
        // Kept: the ten uses of the rectangle in "b", "d" (a use of the rectangle), the last
        // use of the rectangle and the one inside the second "twice".
        assert_eq!(plan.svg.matches("href=\"#a\"").count(), 13, "{}", plan.svg);
        // Left out: the ten uses of "b" (it holds uses), the use of "c", the use of "d" (itself
        // a use), the use that holds itself, the uses of no element (an encoded "a" included)
        // and the use of an id that one of its two elements holds a use under.
        for gone in ["#b\"", "#c\"", "#d\"", "#self\"", "#nowhere", "#%61", "href=\"#twice"] {
            assert!(!plan.svg.contains(gone), "{gone} is left in: {}", plan.svg);
        }
        assert_eq!(plan.removed, 16, "{}", plan.svg);
    }

    #[test]
    fn uses_are_weighed_by_the_link_and_ids_that_are_written() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" xmlns:e="urn:editor" viewBox="0 0 10 10"><defs>
  <rect id="a" width="1" height="1"/>
  <g id="many"><use href="#a"/><use href="#a" x="1"/></g>
  <g e:id="q"><use href="#a"/></g><rect id="q" width="1" height="1"/>
  <rect id="%6C9" width="1" height="1"/><g id="l9"><use href="#a"/></g>
  <foreignObject><g id="hidden" xmlns="http://www.w3.org/2000/svg"><rect/></g></foreignObject>
</defs>
<use x:href="#a" href="#many"/>
<use e:href="#a" href="#many"/>
<use href="#q"/>
<use href="#%6C9"/>
<use href="#hidden"/>
</svg>"##;
        let plan = cleaned(svg);
        // The written link counts: both uses of "many" (a use of uses) are left out, whatever
        // an SVG 1 or editor's `href` beside it names.
        assert!(!plan.svg.contains("\"#many\""), "{}", plan.svg);
        // An editor's id is not written: "#q" is the rectangle, and kept.
        assert!(plan.svg.contains("<use href=\"#q\"></use>"), "{}", plan.svg);
        // A percent-encoded link (a browser may decode it to "l9") and a link to an element the
        // cleaner leaves out are left out.
        assert!(!plan.svg.contains("#%6C9") && !plan.svg.contains("#hidden"), "{}", plan.svg);
        // Two uses of "many", the encoded one, the one of "hidden", the foreignObject.
        assert_eq!(plan.removed, 5, "{}", plan.svg);
    }

    #[test]
    fn what_a_browser_resolves_otherwise_is_left_out() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs>
  <rect id="a" width="1" height="1"/>
  <use href="#a"><g id="x"><use href="#a"/><use href="#a"/></g></use><rect id="x" width="1" height="1"/>
  <g id="a&#xA0;"><use href="#a"/></g>
  <style><rect id="t" width="1" height="1"/>.t { fill: #000 }</style>
</defs>
<use href="#x"/><use href="#a&#xA0;"/><use href=" #a"/><use href="#t"/>
<rect class="a&#10;b&#9;c&#13;" width="1" height="1"/><text>line&#13;break</text>
</svg>"##;
        let plan = cleaned(svg);
        // What a use holds is not written: "#x" is the rectangle, and kept.
        assert!(plan.svg.contains("<use href=\"#a\"></use><rect id=\"x\""), "{}", plan.svg);
        assert!(plan.svg.contains("<use href=\"#x\"></use>"), "{}", plan.svg);
        // A no-break space or a leading space in the link, and a link into a style sheet: out.
        assert!(!plan.svg.contains("&#xA0;\"></use>") && !plan.svg.contains("\u{a0}\"></use>"), "{}", plan.svg);
        assert!(!plan.svg.contains("\" #a\"") && !plan.svg.contains("\"#t\""), "{}", plan.svg);
        assert_eq!(plan.removed, 3, "{}", plan.svg);
        // Line breaks and tabs survive being read again (cleaned() cleans twice).
        assert!(plan.svg.contains("class=\"a&#10;b&#9;c&#13;\""), "{}", plan.svg);
        assert!(plan.svg.contains("<text>line&#13;break</text>"), "{}", plan.svg);
    }

    #[test]
    fn many_uses_of_a_much_repeated_id_are_weighed_in_one_pass() {
        // 50,000 elements of one id and 50,000 uses of it: weighed pair by pair, billions of
        // steps; in one pass, a moment. Each copy is one node, so all stay within the budget.
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs>{}</defs>{}</svg>"##,
            "<g id=\"a\"/>".repeat(50_000),
            "<use href=\"#a\"/>".repeat(50_000)
        );
        let plan = cleaned(&svg);
        assert_eq!(plan.svg.matches("<use ").count(), 50_000);
        assert_eq!(plan.removed, 0);
    }

    #[test]
    fn deeply_nested_drawings_are_refused() {
        let nested = |levels: usize| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}<rect width="1" height="1"/>{}</svg>"#,
                "<g>".repeat(levels),
                "</g>".repeat(levels)
            )
        };
        assert_eq!(sanitise(nested(100_000).as_bytes()).unwrap_err(), PlanRefusal::TooComplex);
        // The svg element at level 1, the groups below, the rectangle in the innermost one.
        assert_eq!(sanitise(nested(MAX_PLAN_DEPTH - 1).as_bytes()).unwrap_err(), PlanRefusal::TooComplex);
        let plan = cleaned(&nested(MAX_PLAN_DEPTH - 2));
        assert_eq!(plan.svg.matches("<g>").count(), MAX_PLAN_DEPTH - 2);
        // Namespaces declared on nested elements: refused before parsing.
        let declared: String = (0..=MAX_PLAN_NAMESPACES).map(|n| format!("<g xmlns:p{n}=\"urn:p{n}\">")).collect();
        let many = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">{declared}{}</svg>"#,
            "</g>".repeat(MAX_PLAN_NAMESPACES + 1)
        );
        assert_eq!(sanitise(many.as_bytes()).unwrap_err(), PlanRefusal::TooComplex);
    }

    #[test]
    fn uses_copy_a_bounded_drawing_together() {
        // A symbol of 1000 shapes (about 1000 nodes) used 300 times would be 300,000 nodes
        // drawn; the copies stop at the budget of 200,000.
        let shapes = "<rect width=\"1\" height=\"1\"/>".repeat(1000);
        let uses = "<use href=\"#desk\"/>".repeat(300);
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><symbol id="desk">{shapes}</symbol></defs>{uses}</svg>"#
        );
        let plan = cleaned(&svg);
        let kept = plan.svg.matches("<use ").count();
        let cost = 1001; // the symbol and its rectangles
        assert_eq!(kept, usize::try_from(MAX_PLAN_NODES).unwrap() / cost, "{}", &plan.svg[..200]);
        assert_eq!(plan.removed, 300 - kept);
    }

    #[test]
    fn entity_declarations_are_refused_before_parsing() {
        let value = "a".repeat(100_000);
        let flat = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"{value}\">]><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><text>{}</text></svg>",
            "&a;".repeat(400_000)
        );
        assert_eq!(sanitise(flat.as_bytes()).unwrap_err(), PlanRefusal::Entities);
        // A public DTD without declarations is read (never fetched).
        let public = r#"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><rect width="1" height="1"/></svg>"#;
        let plan = cleaned(public);
        assert!(!plan.svg.contains("DOCTYPE") && !plan.svg.contains("w3.org/Graphics"), "{}", plan.svg);
    }

    #[test]
    fn a_view_box_gives_the_proportions() {
        let plan = cleaned(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0,0 420 594" width="42cm"><rect width="1" height="1"/></svg>"#,
        );
        assert_eq!((plan.width, plan.height), (707, 1000));
        assert!(plan.svg.contains("viewBox=\"0 0 420 594\""));
        assert!(!plan.svg.contains("42cm"));
    }

    #[test]
    fn other_files_are_refused() {
        assert_eq!(sanitise(b"<html><body>plan</body></html>").unwrap_err(), PlanRefusal::NotSvg);
        assert_eq!(sanitise(b"\x89PNG\r\n").unwrap_err(), PlanRefusal::NotSvg);
        assert_eq!(sanitise(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/>").unwrap_err(), PlanRefusal::NotSvg);
        assert_eq!(sanitise(b"<svg><rect/></svg>").unwrap_err(), PlanRefusal::NotSvg, "no SVG namespace");
        let no_size = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100%"><rect/></svg>"#;
        assert_eq!(sanitise(no_size).unwrap_err(), PlanRefusal::NoSize);
        let strip = br#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2000 10"><rect/></svg>"#;
        assert_eq!(sanitise(strip).unwrap_err(), PlanRefusal::NoSize);
        let huge = vec![b' '; MAX_PLAN_BYTES + 1];
        assert_eq!(sanitise(&huge).unwrap_err(), PlanRefusal::TooBig);
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&h;</text></svg>"#;
        assert_eq!(sanitise(laughs.as_bytes()).unwrap_err(), PlanRefusal::Entities);
    }
}

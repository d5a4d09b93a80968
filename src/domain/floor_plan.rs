//! The rules of a hub's floor plan that need no file or database: how large an upload may be,
//! and where a space sits on the plan, typed in by staff as percentages of the plan's width and
//! height ("37,5" or "37.5") and kept in thousandths.

/// The largest SVG staff may upload. Plans drawn in a CAD or office program stay far below;
/// the sanitised drawing is refused too if it would be larger.
pub const MAX_PLAN_BYTES: usize = 2 * 1024 * 1024;

/// The largest number of XML nodes read from an upload: bounds the parser's memory whatever
/// the file holds (a plan of a small hub has a few thousand).
pub const MAX_PLAN_NODES: u32 = 200_000;

/// Thousandths of the plan's side: the unit spots are kept in.
pub const SPOT_SCALE: i32 = 1000;

/// Why a coordinate cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CoordinateProblem {
    /// Not a number.
    #[error("not a number")]
    NotANumber,
    /// Below 0 % or above 100 %.
    #[error("outside 0 to 100 percent")]
    OutOfRange,
    /// Only one of the two coordinates was given.
    #[error("only one coordinate given")]
    Half,
}

/// A space's place on the plan, from the top left corner, in thousandths of each side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    x: i32,
    y: i32,
}

impl Spot {
    /// Reads a pair of percentages; both empty means "not on the plan".
    ///
    /// # Errors
    /// The problem of each coordinate: `("x" | "y", problem)`.
    pub fn parse(x: &str, y: &str) -> Result<Option<Spot>, Vec<(&'static str, CoordinateProblem)>> {
        let (x, y) = (x.trim(), y.trim());
        match (x.is_empty(), y.is_empty()) {
            (true, true) => return Ok(None),
            (true, false) => return Err(vec![("x", CoordinateProblem::Half)]),
            (false, true) => return Err(vec![("y", CoordinateProblem::Half)]),
            (false, false) => {}
        }
        match (thousandths(x), thousandths(y)) {
            (Ok(x), Ok(y)) => Ok(Some(Spot { x, y })),
            (x, y) => {
                Err([("x", x.err()), ("y", y.err())].into_iter().filter_map(|(f, p)| p.map(|p| (f, p))).collect())
            }
        }
    }

    /// A stored spot; values outside the plan are moved onto its edge.
    pub fn stored(x: i32, y: i32) -> Spot {
        Spot { x: x.clamp(0, SPOT_SCALE), y: y.clamp(0, SPOT_SCALE) }
    }

    pub fn x(self) -> i32 {
        self.x
    }

    pub fn y(self) -> i32 {
        self.y
    }
}

/// "37,5" or "37.5" (percent) as 375 thousandths, rounded to the nearest.
fn thousandths(text: &str) -> Result<i32, CoordinateProblem> {
    let value: f64 =
        text.trim_end_matches('%').trim().replace(',', ".").parse().map_err(|_| CoordinateProblem::NotANumber)?;
    if !value.is_finite() {
        return Err(CoordinateProblem::NotANumber);
    }
    if !(0.0..=100.0).contains(&value) {
        return Err(CoordinateProblem::OutOfRange);
    }
    // 0..=100 times 10 is 0..=1000: the cast cannot truncate.
    #[allow(clippy::cast_possible_truncation)]
    Ok((value * 10.0).round() as i32)
}

/// Thousandths as a percentage for a form field: "37,5" in German, "37.5" in English, no
/// decimals when whole.
pub fn percent_text(thousandths: i32, decimal_comma: bool) -> String {
    let (whole, tenth) = (thousandths / 10, thousandths % 10);
    match (tenth, decimal_comma) {
        (0, _) => whole.to_string(),
        (_, true) => format!("{whole},{tenth}"),
        (_, false) => format!("{whole}.{tenth}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_read_with_comma_or_point() {
        assert_eq!(Spot::parse("37,5", "80"), Ok(Some(Spot { x: 375, y: 800 })));
        assert_eq!(Spot::parse(" 0.04 ", "100 %"), Ok(Some(Spot { x: 0, y: 1000 })));
        assert_eq!(Spot::parse("", " "), Ok(None));
        assert_eq!(percent_text(375, true), "37,5");
        assert_eq!(percent_text(375, false), "37.5");
        assert_eq!(percent_text(800, true), "80");
    }

    #[test]
    fn wrong_coordinates_name_their_field() {
        assert_eq!(Spot::parse("12", ""), Err(vec![("y", CoordinateProblem::Half)]));
        assert_eq!(Spot::parse("", "12"), Err(vec![("x", CoordinateProblem::Half)]));
        assert_eq!(
            Spot::parse("links", "101"),
            Err(vec![("x", CoordinateProblem::NotANumber), ("y", CoordinateProblem::OutOfRange)])
        );
        assert_eq!(
            Spot::parse("NaN", "-1"),
            Err(vec![("x", CoordinateProblem::NotANumber), ("y", CoordinateProblem::OutOfRange)])
        );
        assert_eq!(Spot::stored(-5, 2000), Spot { x: 0, y: 1000 });
    }
}

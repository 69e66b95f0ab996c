//! Dates: a record's `date` and the `--since/--until` bounds are read as calendar dates (jiff), so
//! `2024-02-30` or `not-a-date` is an error and comparisons are between days, not strings.
//!
//! In: text. Out: a `YYYY-MM-DD` string, or a [`DateError`] that says what was expected.

use jiff::civil::Date;

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date ({why}; write YYYY-MM-DD)")]
pub struct DateError {
    /// The text.
    pub text: String,
    /// What is wrong with it.
    pub why: String,
}

fn bad(text: &str, why: impl Into<String>) -> DateError {
    DateError {
        text: text.to_string(),
        why: why.into(),
    }
}

/// Splits `YYYY[-MM[-DD]]` (also with `/` or `.`) into numbers, and how many parts were given.
fn parts(text: &str) -> Result<(i16, Option<i8>, Option<i8>), DateError> {
    let t = text.trim();
    // A timestamp (`2024-03-20T10:00:00Z`, `2024-03-20 10:00`) is dated by its day.
    let day_part = t.split(['T', ' ']).next().unwrap_or(t);
    let fields: Vec<&str> = day_part.split(['-', '/', '.']).collect();
    if fields.is_empty() || fields.len() > 3 || fields.iter().any(|f| f.is_empty()) {
        return Err(bad(text, "expected year, month and day"));
    }
    let num = |f: &str, what: &str| -> Result<i64, DateError> {
        if !f.bytes().all(|b| b.is_ascii_digit()) || f.len() > 4 {
            return Err(bad(text, format!("the {what} is not a number")));
        }
        f.parse::<i64>()
            .map_err(|_| bad(text, format!("the {what} is not a number")))
    };
    if fields[0].len() != 4 {
        return Err(bad(text, "the year must have four digits"));
    }
    let year = num(fields[0], "year")? as i16;
    let month = fields.get(1).map(|f| num(f, "month")).transpose()?;
    let day = fields.get(2).map(|f| num(f, "day")).transpose()?;
    if let Some(m) = month
        && !(1..=12).contains(&m)
    {
        return Err(bad(text, format!("there is no month {m}")));
    }
    Ok((year, month.map(|m| m as i8), day.map(|d| d.clamp(0, 99) as i8)))
}

fn civil(text: &str, y: i16, m: i8, d: i8) -> Result<Date, DateError> {
    Date::new(y, m, d).map_err(|_| bad(text, format!("{y:04}-{m:02} has no day {d}")))
}

/// A full date (`2024-03-20`, `2024/3/20`, or a timestamp on that day) as `YYYY-MM-DD`.
///
/// ```
/// use guanxi::dates::parse_date;
/// assert_eq!(parse_date("2024/3/20").unwrap(), "2024-03-20");
/// assert_eq!(parse_date("2024-03-20T08:00:00Z").unwrap(), "2024-03-20");
/// assert!(parse_date("2024-02-30").is_err());
/// assert!(parse_date("not-a-date").is_err());
/// ```
pub fn parse_date(text: &str) -> Result<String, DateError> {
    match parts(text)? {
        (y, Some(m), Some(d)) => Ok(civil(text, y, m, d)?.to_string()),
        _ => Err(bad(text, "expected year, month and day")),
    }
}

/// Which end of a period a bound stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// `--since`: the first day of the period.
    Since,
    /// `--until`: the last day of the period.
    Until,
}

/// A `--since/--until` bound: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as the first (since) or last
/// (until) day of that period, `YYYY-MM-DD`.
///
/// ```
/// use guanxi::dates::{Bound, parse_bound};
/// assert_eq!(parse_bound("2024", Bound::Since).unwrap(), "2024-01-01");
/// assert_eq!(parse_bound("2024-02", Bound::Until).unwrap(), "2024-02-29");
/// assert!(parse_bound("2024-13", Bound::Since).is_err());
/// ```
pub fn parse_bound(text: &str, bound: Bound) -> Result<String, DateError> {
    // On the command line one spelling only, so that a typo is not read as something else.
    if text.contains(['/', '.', 'T', ' ']) {
        return Err(bad(text, "write YYYY, YYYY-MM or YYYY-MM-DD"));
    }
    let (y, m, d) = parts(text)?;
    let date = match (m, d, bound) {
        (Some(m), Some(d), _) => civil(text, y, m, d)?,
        (Some(m), None, Bound::Since) => civil(text, y, m, 1)?,
        (Some(m), None, Bound::Until) => civil(text, y, m, 1)?.last_of_month(),
        (None, _, Bound::Since) => civil(text, y, 1, 1)?,
        (None, _, Bound::Until) => civil(text, y, 12, 31)?,
    };
    Ok(date.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_is_wrong() {
        let e = parse_date("2024-02-30").unwrap_err();
        assert!(e.to_string().contains("no day 30"), "{e}");
        let e = parse_date("2024-13-01").unwrap_err();
        assert!(e.to_string().contains("no month 13"), "{e}");
        let e = parse_date("24-01-01").unwrap_err();
        assert!(e.to_string().contains("four digits"), "{e}");
        assert!(parse_date("2024-03").is_err());
    }

    #[test]
    fn bounds_cover_their_whole_period() {
        assert_eq!(parse_bound("2023-02", Bound::Until).unwrap(), "2023-02-28");
        assert_eq!(parse_bound("2023", Bound::Until).unwrap(), "2023-12-31");
        assert_eq!(parse_bound("2023-06-15", Bound::Since).unwrap(), "2023-06-15");
    }
}

//! `vsh --junit FILE`: the checks of a run's ping blocks as a JUnit XML report, the format
//! CI servers (GitLab, Jenkins, GitHub actions' test reporters) read. Each check is a
//! testcase named `h1 -> 10.0.0.2`, its class the script and the line that generated it; a
//! check that did not hold carries a `<failure>` with the reason, one a signal left
//! undecided is `<skipped>`, and a run that failed elsewhere adds a testcase `run` with an
//! `<error>`. The shape follows Jenkins' junit-10.xsd, which the others accept.

use crate::eval::reach::CheckResult;
use crate::xml::escape;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

/// How the run ended, for the report.
pub struct RunEnd<'a> {
    /// The script's name, as its diagnostics name it.
    pub script: &'a str,
    /// The whole run's time.
    pub time: Duration,
    /// When it started.
    pub started: SystemTime,
    /// Why the run failed, when it failed for another reason than a ping block's checks.
    pub error: Option<String>,
}

/// The report's text.
pub fn report(checks: &[CheckResult], end: &RunEnd) -> String {
    let failures = checks.iter().filter(|c| c.failed()).count();
    let skipped = checks.iter().filter(|c| c.held.is_none()).count();
    let errors = usize::from(end.error.is_some());
    let tests = checks.len() + errors;
    let time = secs(end.time);
    let hostname = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".into());
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"vsh\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{time}\">"
    );
    let _ = writeln!(
        x,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{time}\" timestamp=\"{}\" hostname=\"{}\">",
        escape(end.script),
        timestamp(end.started),
        escape(&hostname)
    );
    for c in checks {
        let head = format!(
            "    <testcase name=\"{}\" classname=\"{}:{}\" time=\"{}\"",
            escape(&c.name),
            escape(end.script),
            c.line,
            secs(c.time)
        );
        match c.held {
            Some(true) => {
                let _ = writeln!(x, "{head}/>");
            }
            Some(false) => {
                let _ = writeln!(
                    x,
                    "{head}>\n      <failure message=\"{}\" type=\"reachability\">{} ({}): {}</failure>\n    </testcase>",
                    escape(&c.how),
                    escape(&c.name),
                    escape(&c.place()),
                    escape(&c.how)
                );
            }
            None => {
                let _ = writeln!(
                    x,
                    "{head}>\n      <skipped message=\"the run was interrupted before this check was decided\"/>\n    </testcase>"
                );
            }
        }
    }
    if let Some(error) = &end.error {
        let _ = writeln!(
            x,
            "    <testcase name=\"run\" classname=\"{}\" time=\"{time}\">\n      <error message=\"{}\" type=\"vsh\">{}</error>\n    </testcase>",
            escape(end.script),
            escape(error.lines().next().unwrap_or_default()),
            escape(error)
        );
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}

/// Seconds with microseconds, as JUnit's `time`.
fn secs(d: Duration) -> String {
    format!("{}.{:06}", d.as_secs(), d.subsec_micros())
}

/// ISO 8601 in UTC without a zone, as JUnit's `timestamp`: 2026-11-30T10:16:43.
fn timestamp(t: SystemTime) -> String {
    let s = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let (days, rest) = (s / 86_400, s % 86_400);
    // Howard Hinnant's days-to-civil.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        let at = |s| SystemTime::UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(timestamp(at(0)), "1970-01-01T00:00:00");
        assert_eq!(timestamp(at(951_782_400)), "2000-02-29T00:00:00");
        assert_eq!(timestamp(at(1_798_100_203)), "2026-12-24T08:16:43");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("h1 -> \"a\" & <b>\u{1b}"),
            "h1 -&gt; &quot;a&quot; &amp; &lt;b&gt;"
        );
    }
}

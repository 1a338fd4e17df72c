//! "Did you mean": the names in scope closest to a name that is not, by
//! edit distance.

/// The edit distance between `a` and `b` (optimal string alignment:
/// insertions, deletions, substitutions and swaps of neighbours, each
/// costing 1), by characters; `None` once it must exceed `limit`.
pub fn distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // Three rows of the table: two back (for swaps), one back, this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        let mut best = row[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            row[j] = d;
            best = best.min(d);
        }
        if best > limit {
            return None;
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut row);
    }
    Some(last[b.len()]).filter(|&d| d <= limit)
}

/// The candidate closest to `name`, if one is close enough to be a
/// likely misspelling: at most one edit for names of up to four
/// characters, two up to eight, three beyond. A candidate differing only
/// in case wins; ties go to the first in `candidates` order that is
/// smallest alphabetically.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    let limit = match len {
        0..=1 => return None,
        2..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let d = if candidate.eq_ignore_ascii_case(name) {
            0
        } else {
            match distance(name, candidate, limit) {
                Some(d) => d,
                None => continue,
            }
        };
        let better = match best {
            None => true,
            Some((bd, bc)) => d < bd || (d == bd && candidate < bc),
        };
        if better {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("Prinln", "Println", 3), Some(1));
        assert_eq!(distance("metronoem", "metronome", 3), Some(1));
        assert_eq!(distance("abc", "abc", 0), Some(0));
        assert_eq!(distance("kitten", "sitting", 3), Some(3));
        assert_eq!(distance("kitten", "sitting", 2), None);
        assert_eq!(distance("", "ab", 2), Some(2));
        assert_eq!(distance("x", "abcdef", 2), None);
    }

    #[test]
    fn suggestions() {
        let names = ["Println", "Print", "Rwait", "map", "max", "metronome"];
        assert_eq!(closest("Prinln", names), Some("Println"));
        assert_eq!(closest("println", names), Some("Println"));
        assert_eq!(closest("Rwiat", names), Some("Rwait"));
        assert_eq!(closest("mab", names), Some("map"));
        assert_eq!(closest("zebra", names), None);
        // One letter: anything would be "close".
        assert_eq!(closest("m", names), None);
    }
}

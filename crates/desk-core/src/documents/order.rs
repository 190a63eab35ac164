//! The order of a document's lines as fractional keys (the `fractional_index` crate's hex form, which sorts as
//! text): a line moved or inserted gets a key between its neighbours and no other line changes, so two desktops
//! inserting lines into one draft both keep theirs, in a stable order ((sort_key, id) on every desktop).

use fractional_index::FractionalIndex;

/// Keys for `wanted` in order: `Some(key)` keeps a line's current key where the order allows it (the longest
/// run of keys already in increasing order stays), every other line gets a new key between its neighbours.
/// Each entry is (current key, tie-breaking id).
pub fn assign(wanted: &[Option<(String, String)>]) -> Vec<String> {
    let keep = longest_increasing(wanted);
    let mut out: Vec<String> = Vec::with_capacity(wanted.len());
    let mut lower: Option<FractionalIndex> = None;
    for (i, w) in wanted.iter().enumerate() {
        if keep[i] {
            let key = w.as_ref().map(|(k, _)| k.clone()).unwrap_or_default();
            lower = FractionalIndex::from_string(&key).ok();
            out.push(key);
            continue;
        }
        let upper = (i + 1..wanted.len())
            .find(|&j| keep[j])
            .and_then(|j| wanted[j].as_ref())
            .and_then(|(k, _)| FractionalIndex::from_string(k).ok());
        let key = match FractionalIndex::new(lower.as_ref(), upper.as_ref()) {
            Some(k) => k,
            // equal neighbours (two desktops' keys): go after the lower one; the ids keep the order stable
            None => lower.as_ref().map_or_else(FractionalIndex::default, FractionalIndex::new_after),
        };
        out.push(key.to_string());
        lower = Some(key);
    }
    out
}

/// The key of the line at `position` in a document written in one go (migration 0010 wrote the same keys for
/// the lines it found): two fractional-index bytes, in position order up to 14,400 lines.
pub fn initial_key(position: i64) -> String {
    let p = position.clamp(0, 14_399);
    format!("{:02x}{:02x}80", 129 + p / 120, 129 + p % 120)
}

/// Which entries keep their key: a longest strictly increasing subsequence of (key, id) (O(n log n)).
fn longest_increasing(wanted: &[Option<(String, String)>]) -> Vec<bool> {
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; wanted.len()];
    for (i, w) in wanted.iter().enumerate() {
        let Some(k) = w else { continue };
        if FractionalIndex::from_string(&k.0).is_err() {
            continue;
        }
        let pos = tails.partition_point(|&t| wanted[t].as_ref().is_some_and(|tk| tk < k));
        prev[i] = pos.checked_sub(1).map(|p| tails[p]);
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut keep = vec![false; wanted.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        keep[i] = true;
        at = prev[i];
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(keys: &[String]) -> bool {
        keys.windows(2).all(|w| w[0] < w[1])
    }

    #[test]
    fn new_lines_get_increasing_keys() {
        let keys = assign(&vec![None; 300]);
        assert!(sorted(&keys), "{keys:?}");
    }

    #[test]
    fn a_line_inserted_between_two_changes_no_other_key() {
        let first = assign(&[None, None]);
        let wanted = vec![Some((first[0].clone(), "a".into())), None, Some((first[1].clone(), "b".into()))];
        let keys = assign(&wanted);
        assert_eq!((&keys[0], &keys[2]), (&first[0], &first[1]));
        assert!(sorted(&keys));
    }

    #[test]
    fn a_move_rekeys_only_the_moved_line() {
        let k = assign(&[None, None, None, None]);
        let ids = ["a", "b", "c", "d"];
        // d moves to the top
        let wanted: Vec<_> = [3, 0, 1, 2].iter().map(|&i| Some((k[i].clone(), ids[i].to_string()))).collect();
        let keys = assign(&wanted);
        assert!(sorted(&keys));
        assert_eq!(&keys[1..], &k[0..3], "a, b and c keep their keys");
        assert_ne!(keys[0], k[3]);
    }

    #[test]
    fn migrated_keys_sort_like_their_positions_and_parse() {
        // migration 0010: printf('%02x%02x80', 129 + p / 120, 129 + p % 120)
        let keys: Vec<String> = (0..1000).map(initial_key).collect();
        assert!(sorted(&keys));
        assert!(keys.iter().all(|k| FractionalIndex::from_string(k).is_ok()));
        let between = assign(&[Some((keys[0].clone(), "a".into())), None, Some((keys[1].clone(), "b".into()))]);
        assert!(sorted(&between));
    }
}

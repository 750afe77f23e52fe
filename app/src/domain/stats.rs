//! Honest statistics, as pure functions: a good rate with its 95% Wilson score interval
//! (a small sample gets a wide interval, never a falsely precise percentage), and the
//! monthly red and black list, which ranks only units with enough ratings.

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The Wilson score interval of `good` successes in `total` trials, as (low, high) in
/// `[0, 1]`; `None` for no trials.
pub fn wilson(good: u64, total: u64, z: f64) -> Option<(f64, f64)> {
    if total == 0 || good > total {
        return None;
    }
    let n = total as f64;
    let p = good as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let margin = z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - margin).max(0.0), (centre + margin).min(1.0)))
}

/// One unit (department or counter) of a period, as the ranking needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitScore {
    pub id: i64,
    pub good: u64,
    pub ratings: u64,
    /// Cases answered in time, of those due in the period.
    pub on_time: u64,
    pub due: u64,
}

impl UnitScore {
    pub fn good_rate(&self) -> Option<f64> {
        (self.ratings > 0).then(|| self.good as f64 / self.ratings as f64)
    }
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.due > 0).then(|| self.on_time as f64 / self.due as f64)
    }
}

/// The red and black list: units with at least `min_ratings` ranked best first (good rate,
/// then on-time rate, then more ratings), the rest "too few to rank" in id order.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranking {
    pub ranked: Vec<UnitScore>,
    pub too_few: Vec<UnitScore>,
}

impl Ranking {
    /// The best `n` (紅榜).
    pub fn red(&self, n: usize) -> &[UnitScore] {
        &self.ranked[..n.min(self.ranked.len())]
    }

    /// The worst `n`, worst first (黑榜), never overlapping the red list.
    pub fn black(&self, n: usize) -> Vec<&UnitScore> {
        let red = n.min(self.ranked.len());
        let available = self.ranked.len() - red;
        self.ranked.iter().rev().take(n.min(available)).collect()
    }
}

pub fn rank(units: Vec<UnitScore>, min_ratings: u64) -> Ranking {
    let (mut ranked, mut too_few): (Vec<_>, Vec<_>) =
        units.into_iter().partition(|u| u.ratings >= min_ratings.max(1));
    ranked.sort_by(|a, b| {
        let key = |u: &UnitScore| (u.good_rate().unwrap_or(0.0), u.on_time_rate().unwrap_or(0.0));
        let (ag, ao) = key(a);
        let (bg, bo) = key(b);
        bg.total_cmp(&ag)
            .then(bo.total_cmp(&ao))
            .then(b.ratings.cmp(&a.ratings))
            .then(a.id.cmp(&b.id))
    });
    too_few.sort_by_key(|u| u.id);
    Ranking { ranked, too_few }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-5
    }

    #[test]
    fn wilson_matches_hand_computed_intervals() {
        // 8 of 10: centre (0.8 + z²/20) / (1 + z²/10) = 0.71674; margin 0.22658.
        let (low, high) = wilson(8, 10, Z95).unwrap();
        assert!(close(low, 0.49016) && close(high, 0.94331), "{low} {high}");
        // 0 of 5 and 5 of 5: the interval reaches the edge, never beyond it.
        let (low, high) = wilson(0, 5, Z95).unwrap();
        assert!(close(low, 0.0) && close(high, 0.43449), "{high}");
        let (low, high) = wilson(5, 5, Z95).unwrap();
        assert!(close(low, 0.56551) && close(high, 1.0), "{low}");
        // A large sample: tight around the rate.
        let (low, high) = wilson(900, 1000, Z95).unwrap();
        assert!(close(low, 0.87985) && close(high, 0.91709), "{low} {high}");
        assert_eq!(wilson(0, 0, Z95), None);
        assert_eq!(wilson(3, 2, Z95), None);
    }

    fn unit(id: i64, good: u64, ratings: u64, on_time: u64, due: u64) -> UnitScore {
        UnitScore { id, good, ratings, on_time, due }
    }

    #[test]
    fn only_units_with_enough_ratings_are_ranked_and_ties_fall_to_the_on_time_rate() {
        let ranking = rank(
            vec![
                unit(1, 27, 30, 9, 10),  // 90%, on time 90%
                unit(2, 29, 29, 10, 10), // 100% but 29 ratings: too few
                unit(3, 36, 40, 5, 10),  // 90%, on time 50%
                unit(4, 15, 30, 10, 10), // 50%
                unit(5, 40, 40, 0, 0),   // 100%, nothing due
            ],
            30,
        );
        let ids: Vec<i64> = ranking.ranked.iter().map(|u| u.id).collect();
        assert_eq!(ids, vec![5, 1, 3, 4]);
        assert_eq!(ranking.too_few.iter().map(|u| u.id).collect::<Vec<_>>(), vec![2]);
        assert_eq!(ranking.red(2).iter().map(|u| u.id).collect::<Vec<_>>(), vec![5, 1]);
        assert_eq!(ranking.black(2).iter().map(|u| u.id).collect::<Vec<_>>(), vec![4, 3]);
        // Three ranked units and lists of two: the black list takes only what is left.
        let small = rank(vec![unit(1, 9, 10, 0, 0), unit(2, 5, 10, 0, 0), unit(3, 1, 10, 0, 0)], 10);
        assert_eq!(small.black(2).iter().map(|u| u.id).collect::<Vec<_>>(), vec![3]);
    }
}

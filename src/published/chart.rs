//! The counts of published inputs as a small bar chart drawn on the server
//! (SVG, no script) and the same numbers in a table. The chart is a picture
//! for sighted readers (`aria-hidden`); the table is what assistive
//! technology reads, and it is shown too. Every bar carries its number in
//! text, so nothing depends on colour. Bars grow from the line's start: the
//! right in Arabic, the left in English.

use imrf_contract::{format_count, Lang};
use leptos::prelude::*;

/// One row: what is counted, and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub count: u64,
}

const WIDTH: u32 = 640;
const ROW: u32 = 28;
const LABEL: u32 = 280;
const GAP: u32 = 8;
/// Room for the number after the longest bar.
const NUMBER: u32 = 56;

/// Where a bar of `count` (of `max`) starts and how long it is, and where
/// its number is written, on a line in `lang`'s direction.
fn geometry(lang: Lang, count: u64, max: u64) -> (u32, u32, u32) {
    let room = u64::from(WIDTH - LABEL - GAP - NUMBER);
    let length = if max == 0 {
        0
    } else {
        u32::try_from((count * room).div_ceil(max))
            .unwrap_or(0)
            .max(1)
    };
    match lang {
        Lang::En => {
            let start = LABEL + GAP;
            (start, length, start + length + 6)
        }
        Lang::Ar => {
            let end = WIDTH - LABEL - GAP;
            (end - length, length, end - length - 6)
        }
    }
}

/// The chart and its table, under `heading` (an `h2` with id `id`).
pub fn chart_and_table(
    lang: Lang,
    id: &'static str,
    heading: &'static str,
    label_heading: &'static str,
    count_heading: &'static str,
    bars: Vec<Bar>,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0);
    let height = ROW * u32::try_from(bars.len()).unwrap_or(0).max(1);
    let (label_x, label_anchor, number_anchor) = match lang {
        Lang::En => (0, "start", "start"),
        Lang::Ar => (WIDTH, "end", "end"),
    };
    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = ROW * u32::try_from(i).unwrap_or(0);
            let (x, length, number_x) = geometry(lang, bar.count, max);
            let text_y = y + ROW / 2 + 5;
            view! {
                <text x=label_x y=text_y text-anchor=label_anchor>{bar.label.clone()}</text>
                <rect class="imrf-chart-bar" x=x y=y + 4 width=length height=ROW - 8></rect>
                <text x=number_x y=text_y text-anchor=number_anchor>{format_count(lang, bar.count)}</text>
            }
        })
        .collect_view();
    let table_rows = bars
        .into_iter()
        .map(|bar| {
            view! {
                <tr>
                    <th scope="row">{bar.label}</th>
                    <td>{format_count(lang, bar.count)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="imrf-record-counts" aria-labelledby=id>
            <h2 id=id>{heading}</h2>
            <svg
                class="imrf-chart"
                viewBox=format!("0 0 {WIDTH} {height}")
                width="100%"
                aria-hidden="true"
                focusable="false"
            >
                {rows}
            </svg>
            <table class="imrf-record-table">
                <thead>
                    <tr>
                        <th scope="col">{label_heading}</th>
                        <th scope="col">{count_heading}</th>
                    </tr>
                </thead>
                <tbody>{table_rows}</tbody>
            </table>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_grow_from_the_start_of_the_line_and_keep_their_proportion() {
        let (x, len, number) = geometry(Lang::En, 5, 10);
        assert_eq!(x, LABEL + GAP);
        assert!(number > x + len);
        let (_, full, _) = geometry(Lang::En, 10, 10);
        assert_eq!(
            full,
            WIDTH - LABEL - GAP - NUMBER,
            "the longest bar fills the room"
        );
        assert_eq!(len, full / 2);
        let (x_ar, len_ar, number_ar) = geometry(Lang::Ar, 5, 10);
        assert_eq!(
            x_ar + len_ar,
            WIDTH - LABEL - GAP,
            "an Arabic bar ends at its label"
        );
        assert!(number_ar < x_ar);
        assert_eq!(
            geometry(Lang::En, 1, 1000).1,
            1,
            "a count is never an empty bar"
        );
    }
}

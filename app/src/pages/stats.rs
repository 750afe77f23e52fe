//! `/stats`: public satisfaction statistics for any period and level. The filters are a
//! plain GET form, so every view has its own URL and works without JavaScript. Each chart
//! is drawn on the server (bars in HTML, the rest in SVG), hidden from screen readers, and
//! followed by a table of the same numbers.

use super::layout::{FormErrors, problem_text};
use super::{set_status, use_locale, use_strings};
use crate::api::load_stats;
use crate::domain::{Category, Field, FieldErrors};
use crate::i18n::{fill, Strings};
use crate::stats::{
    GoodRate, Heatmap, RankLists, Rate, StatsAnswer, StatsFilter, StatsView, UnitLine, UnitOption,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StatsPage() -> impl IntoView {
    let s = use_strings();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        StatsFilter {
            period: get("period"),
            at: get("at"),
            from: get("from"),
            to: get("to"),
            level: get("level"),
            unit: get("unit"),
        }
    };
    let stats = Resource::new(filter, |f| {
        load_stats(f.period, f.at, f.from, f.to, f.level, f.unit)
    });
    view! {
        <Title text=s.stats_title/>
        <h1>{s.stats_title}</h1>
        <p class="lead">{s.stats_intro}</p>
        <Suspense fallback=move || view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Ok(StatsAnswer::Shown(view)) => view! {
                        <Filters filter=view.filter.clone() units=view.units.clone() errors=FieldErrors::default()/>
                        <Report view=*view/>
                    }
                    .into_any(),
                    Ok(StatsAnswer::Refused { filter, errors, units }) => {
                        set_status(400);
                        view! {
                            <FormErrors errors=errors.clone() message=None/>
                            <Filters filter=filter units=units errors=errors/>
                        }
                        .into_any()
                    }
                    Err(e) => {
                        set_status(e.status());
                        view! { <p role="alert">{e.message(s)}</p> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn permille_text(p: u32) -> String {
    format!("{}.{}%", p / 10, p % 10)
}

fn rate_text(rate: &Rate, s: &Strings) -> String {
    rate.percent()
        .map(|p| format!("{p}%"))
        .unwrap_or_else(|| s.not_applicable.to_string())
}

fn good_text(good: &Option<GoodRate>, s: &Strings) -> String {
    good.map(|g| permille_text(g.permille))
        .unwrap_or_else(|| s.not_applicable.to_string())
}

fn interval_text(good: &Option<GoodRate>, s: &Strings) -> String {
    good.map(|g| {
        fill(
            s.stats.interval,
            &[
                ("low", &permille_text(g.low_permille)),
                ("high", &permille_text(g.high_permille)),
            ],
        )
    })
    .unwrap_or_default()
}

/// The filter form: a GET to this page, so the result has its own URL.
#[component]
fn Filters(filter: StatsFilter, units: Vec<UnitOption>, errors: FieldErrors) -> impl IntoView {
    let s = use_strings();
    let t = s.stats;
    let locale = use_locale();
    let period = if filter.period.is_empty() { "month".to_string() } else { filter.period.clone() };
    let periods = ["day", "week", "month", "quarter", "year", "custom"]
        .into_iter()
        .zip(t.period_names)
        .map(|(code, name)| view! { <option value=code selected=period == code>{name}</option> })
        .collect_view();
    // The one select names level and unit together: `counter:A01`.
    let chosen = if filter.unit.contains(':') || filter.unit.is_empty() {
        filter.unit.clone()
    } else {
        format!("{}:{}", filter.level, filter.unit)
    };
    let groups = ["hall", "department", "counter"]
        .into_iter()
        .zip(t.unit_groups)
        .map(|(level, label)| {
            let options = units
                .iter()
                .filter(|u| u.level == level)
                .map(|u| {
                    let value = format!("{}:{}", u.level, u.code);
                    let selected = value.eq_ignore_ascii_case(&chosen);
                    view! { <option value=value selected=selected>{format!("{} ({})", u.name.get(locale), u.code)}</option> }
                })
                .collect_view();
            view! { <optgroup label=label>{options}</optgroup> }
        })
        .collect_view();
    let error = |field: Field| {
        problem_text(&errors, field, s).map(|message| {
            view! { <p class="field-error" id=format!("{}-error", field.id())>{message}</p> }
        })
    };
    let invalid = |fields: &[Field]| fields.iter().any(|f| errors.get(*f).is_some()).then_some("true");
    let described = |field: Field, hint: &str| {
        if errors.get(field).is_some() {
            format!("{hint} {}-error", field.id())
        } else {
            hint.to_string()
        }
    };
    view! {
        <form method="get" action="/stats" class="filters stats-filters" aria-labelledby="stats-filters-legend">
            <fieldset>
                <legend id="stats-filters-legend">{t.filters_legend}</legend>
                <div class="field">
                    <label for="period">{t.period_label}</label>
                    {error(Field::Period)}
                    <select id="period" name="period" aria-invalid=invalid(&[Field::Period])>{periods}</select>
                </div>
                <div class="field">
                    <label for="at">{t.at_label}</label>
                    <p class="hint" id="at-hint">{t.at_hint}</p>
                    {error(Field::At)}
                    <input type="date" id="at" name="at" value=filter.at.clone() aria-describedby=described(Field::At, "at-hint") aria-invalid=invalid(&[Field::At])/>
                </div>
                <div class="field">
                    <label for="from">{t.from_label}</label>
                    <p class="hint" id="custom-hint">{t.custom_hint}</p>
                    {error(Field::From)}
                    <input type="date" id="from" name="from" value=filter.from.clone() aria-describedby=described(Field::From, "custom-hint") aria-invalid=invalid(&[Field::From])/>
                </div>
                <div class="field">
                    <label for="to">{t.to_label}</label>
                    {error(Field::To)}
                    <input type="date" id="to" name="to" value=filter.to.clone() aria-describedby=described(Field::To, "custom-hint") aria-invalid=invalid(&[Field::To])/>
                </div>
                <div class="field">
                    <label for="unit">{t.unit_label}</label>
                    {error(Field::Unit)}
                    {error(Field::StatsLevel)}
                    <select id="unit" name="unit" aria-invalid=invalid(&[Field::Unit, Field::StatsLevel])>
                        <option value="" selected=chosen.is_empty()>{t.whole_centre}</option>
                        {groups}
                    </select>
                </div>
                <button type="submit" class="button">{t.show_button}</button>
            </fieldset>
        </form>
    }
    .into_any()
}

#[component]
fn Report(view: StatsView) -> impl IntoView {
    let s = use_strings();
    let t = s.stats;
    let locale = use_locale();
    let place = view
        .unit_name
        .as_ref()
        .map(|n| n.get(locale).to_string())
        .unwrap_or_else(|| t.whole_centre.to_string());
    let range = fill(t.period_range, &[("first", &view.first), ("last", &view.last)]);
    let counted = match &view.counted_until {
        Some(day) => fill(t.counted_until, &[("day", day)]),
        None => t.not_begun.to_string(),
    };
    let query = view.filter.query();
    let export = |ext: &str| {
        if query.is_empty() {
            format!("/stats/export.{ext}")
        } else {
            format!("/stats/export.{ext}?{query}")
        }
    };
    let previous = format!("/stats?{}", view.previous);
    let next = view.next.as_ref().map(|q| format!("/stats?{q}"));
    let below = match view.filter.level.as_str() {
        "" => Some(t.breakdown_headings[0]),
        "hall" | "department" => Some(t.breakdown_headings[1]),
        _ => None,
    };
    view! {
        <h2 id="stats-period">{format!("{place} · {range}")}</h2>
        <p class="hint">{counted}</p>
        <nav class="period-nav" aria-labelledby="stats-period">
            <a href=previous rel="prev">{t.previous_period}</a>
            {next.map(|href| view! { <a href=href rel="next">{t.next_period}</a> })}
        </nav>

        <section aria-labelledby="ratings-heading">
            <h2 id="ratings-heading">{t.ratings_heading}</h2>
            <dl class="summary-list">
                <div class="summary-row"><dt>{t.ratings_label}</dt><dd>{view.ratings}</dd></div>
                <div class="summary-row">
                    <dt>{t.good_rate_label}</dt>
                    <dd>
                        {good_text(&view.good, s)}
                        {view.good.is_some().then(|| view! { <span class="cell-sub">{interval_text(&view.good, s)}</span> })}
                    </dd>
                </div>
            </dl>
            {view.good.is_none().then(|| view! {
                <p class="hint">{t.too_few_for_rate.of(view.min_ratings_for_rate)}</p>
            })}
            {(view.excluded > 0).then(|| view! {
                <p class="hint">{t.excluded.of(view.excluded)}</p>
            })}
            {(view.held > 0).then(|| view! {
                <p class="hint">{t.held.of(view.held)}" "<a href="/transparency#stuffing">{s.transparency.title}</a></p>
            })}
            // The levels only where a rate may be shown: fewer ratings would give people away.
            {view.good.is_some().then(|| view! {
                <h3 id="distribution-heading">{t.distribution_heading}</h3>
                <Bars
                    labels=s.level_names.iter().rev().map(|l| l.to_string()).collect()
                    values=view.levels.iter().rev().copied().collect()
                />
                <Distribution levels=view.levels/>
            })}
        </section>

        <section aria-labelledby="complaints-heading">
            <h2 id="complaints-heading">{t.complaints_heading}</h2>
            <Categories categories=view.categories.clone()/>
        </section>

        <section aria-labelledby="handling-heading">
            <h2 id="handling-heading">{t.handling_heading}</h2>
            <p class="hint">{t.handling_intro}</p>
            <Handling view=view.clone()/>
        </section>

        {below.map(|heading| view! {
            <section aria-labelledby="breakdown-heading">
                <h2 id="breakdown-heading">{heading}</h2>
                <Intervals lines=view.breakdown.clone()/>
                <UnitTable lines=view.breakdown.clone() caption=heading.to_string() ranked=false/>
            </section>
        })}

        {view.heatmap.clone().map(|map| view! {
            <section aria-labelledby="heatmap-heading">
                <h2 id="heatmap-heading">{t.heatmap_heading}</h2>
                <p class="hint">{t.heatmap_intro}</p>
                <HeatmapView map=map/>
            </section>
        })}

        <section aria-labelledby="ranking-heading">
            <h2 id="ranking-heading">{fill(t.ranking_heading, &[("month", &view.ranking.month)])}</h2>
            <p class="hint">{t.ranking_intro.of(view.ranking.min_ratings)}</p>
            <Ranked lists=view.ranking.departments.clone() group=t.ranked_groups[0]/>
            <Ranked lists=view.ranking.counters.clone() group=t.ranked_groups[1]/>
        </section>

        <section aria-labelledby="export-heading">
            <h2 id="export-heading">{t.export_heading}</h2>
            <p>{t.export_intro}</p>
            <ul class="export-links">
                <li><a href=export("csv") rel="external" download="">{t.export_csv}</a></li>
                <li><a href=export("json") rel="external" download="">{t.export_json}</a></li>
            </ul>
        </section>
        <p class="hint">{t.chart_note}</p>
    }
    .into_any()
}

/// Horizontal bars, one per label; decoration for the table that follows it. Drawn as
/// HTML, not SVG, so that a long label wraps (in any language) instead of running into its
/// bar: on its own line above the bar on a phone, beside it on a wide screen.
#[component]
fn Bars(labels: Vec<String>, values: Vec<u64>) -> impl IntoView {
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let rows = labels
        .into_iter()
        .zip(values)
        .map(|(label, value)| {
            // Per mille of the longest bar; a bar of one still shows.
            let permille = (1000 * value / max).max(if value > 0 { 5 } else { 0 });
            let width = format!("width: {}.{}%", permille / 10, permille % 10);
            view! {
                <li class="bar-row">
                    <span class="bar-label">{label}</span>
                    <span class="bar-line">
                        <span class="bar-track"><span class="bar" style=width></span></span>
                        <span class="bar-value">{value.to_string()}</span>
                    </span>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="bars" aria-hidden="true">{rows}</ul> }.into_any()
}

#[component]
fn Distribution(levels: [u64; 5]) -> impl IntoView {
    let s = use_strings();
    let t = s.stats;
    let total: u64 = levels.iter().sum();
    let rows = (0..5)
        .rev()
        .map(|i| {
            let share = (total > 0)
                .then(|| format!("{}%", (levels[i] * 100 + total / 2) / total))
                .unwrap_or_else(|| s.not_applicable.to_string());
            view! {
                <tr>
                    <th scope="row">{format!("{} · {}", i + 1, s.level_names[i])}</th>
                    <td class="num">{levels[i].to_string()}</td>
                    <td class="num">{share}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable caption=t.distribution_heading.to_string() columns=vec![(t.level_col, false), (t.count_col, true), (t.share_col, true)]>
            {rows}
        </DataTable>
    }
    .into_any()
}

/// A table of numbers under a chart: a caption, column headings (numeric ones right-aligned)
/// and the rows.
#[component]
fn DataTable(caption: String, columns: Vec<(&'static str, bool)>, children: Children) -> impl IntoView {
    let head = columns
        .into_iter()
        .map(|(label, numeric)| view! { <th scope="col" class=numeric.then_some("num")>{label}</th> })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="stats-table">
                <caption>{caption}</caption>
                <thead><tr>{head}</tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

fn category_name(code: &str, s: &Strings) -> String {
    Category::ALL
        .iter()
        .position(|c| c.code() == code)
        .map(|i| s.category_names[i].to_string())
        .unwrap_or_else(|| code.to_string())
}

#[component]
fn Categories(categories: Vec<(String, u64)>) -> impl IntoView {
    let s = use_strings();
    let t = s.stats;
    if categories.is_empty() {
        return view! { <p>{t.no_complaints}</p> }.into_any();
    }
    let labels: Vec<String> = categories.iter().map(|(c, _)| category_name(c, s)).collect();
    let values: Vec<u64> = categories.iter().map(|(_, n)| *n).collect();
    let rows = categories
        .iter()
        .map(|(code, n)| view! {
            <tr><th scope="row">{category_name(code, s)}</th><td class="num">{n.to_string()}</td></tr>
        })
        .collect_view();
    view! {
        <Bars labels=labels values=values/>
        <DataTable caption=t.complaints_heading.to_string() columns=vec![(t.category_col, false), (t.complaints_col, true)]>
            {rows}
        </DataTable>
    }
    .into_any()
}

#[component]
fn Handling(view: StatsView) -> impl IntoView {
    let s = use_strings();
    let t = s.stats;
    let basis = |r: &Rate| fill(t.of_cases, &[("done", &r.done.to_string()), ("of", &r.of.to_string())]);
    let line = |label: &'static str, r: Rate| view! {
        <tr><th scope="row">{label}</th><td class="num">{rate_text(&r, s)}</td><td class="num">{basis(&r)}</td></tr>
    };
    let median = view
        .median_days_to_close_tenths
        .map(|d| if d % 10 == 0 { (d / 10).to_string() } else { format!("{}.{}", d / 10, d % 10) })
        .unwrap_or_else(|| s.not_applicable.to_string());
    let closed = fill(t.closed_cases, &[("n", &view.closed.to_string())]);
    let (accepted, replied) = (line(t.accepted_on_time, view.accepted_on_time), line(t.replied_on_time, view.replied_on_time));
    let (reopened, substantiated) = (line(t.reopened, view.reopened), line(t.substantiated, view.substantiated));
    let followed_up = line(t.followed_up_on_time, view.followed_up_on_time);
    view! {
        <DataTable caption=t.handling_heading.to_string() columns=vec![(t.measure_col, false), (t.rate_col, true), (t.basis_col, true)]>
            {accepted}
            {replied}
            <tr>
                <th scope="row">{t.median_close}</th>
                <td class="num">{median}</td>
                <td class="num">{closed}</td>
            </tr>
            {reopened}
            {substantiated}
            {followed_up}
        </DataTable>
    }
    .into_any()
}

/// Each unit's good rate as a dot on its 95% interval: a small sample shows a long line.
#[component]
fn Intervals(lines: Vec<UnitLine>) -> impl IntoView {
    const ROW: u32 = 26;
    const LABEL: u32 = 70;
    const WIDTH: u32 = 340;
    let rated: Vec<(String, GoodRate)> = lines
        .iter()
        .filter_map(|l| l.good.map(|g| (l.code.clone(), g)))
        .collect();
    if rated.is_empty() {
        return None;
    }
    let span = WIDTH - LABEL - 10;
    let x = |permille: u32| LABEL + span * permille.min(1000) / 1000;
    let height = ROW * rated.len() as u32 + 20;
    let rows = rated
        .into_iter()
        .enumerate()
        .map(|(i, (code, g))| {
            let y = i as u32 * ROW + 13;
            view! {
                <text x="2" y=(y + 5).to_string() class="chart-label">{code}</text>
                <line x1=x(g.low_permille).to_string() x2=x(g.high_permille).to_string() y1=y.to_string() y2=y.to_string() class="chart-interval"></line>
                <circle cx=x(g.permille).to_string() cy=y.to_string() r="5" class="chart-dot"></circle>
            }
        })
        .collect_view();
    let axis_y = height - 4;
    Some(view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") aria-hidden="true" focusable="false" role="presentation">
            {rows}
            <text x=LABEL.to_string() y=axis_y.to_string() class="chart-axis">"0%"</text>
            <text x=(LABEL + span / 2 - 10).to_string() y=axis_y.to_string() class="chart-axis">"50%"</text>
            <text x=(LABEL + span - 34).to_string() y=axis_y.to_string() class="chart-axis">"100%"</text>
        </svg>
    }
    .into_any())
}

#[component]
fn UnitTable(lines: Vec<UnitLine>, caption: String, ranked: bool) -> impl IntoView {
    let s = use_strings();
    let t = s.stats;
    let locale = use_locale();
    let rows = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let href = format!("/stats?level={}&unit={}", l.level, l.code);
            view! {
                <tr>
                    {ranked.then(|| view! { <td class="num">{(i + 1).to_string()}</td> })}
                    <th scope="row">
                        <a href=href>{l.name.get(locale).to_string()}</a>
                        <span class="cell-sub">{l.code.clone()}</span>
                    </th>
                    <td class="num">{l.ratings.to_string()}</td>
                    <td class="num">
                        {good_text(&l.good, s)}
                        {l.good.is_some().then(|| view! { <span class="cell-sub">{interval_text(&l.good, s)}</span> })}
                    </td>
                    <td class="num">{rate_text(&l.on_time, s)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="stats-table">
                <caption>{caption}</caption>
                <thead><tr>
                    {ranked.then(|| view! { <th scope="col" class="num">{t.rank_col}</th> })}
                    <th scope="col">{t.unit_col}</th>
                    <th scope="col" class="num">{t.ratings_label}</th>
                    <th scope="col" class="num">{t.good_rate_label}</th>
                    <th scope="col" class="num">{t.on_time_col}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Ranked(lists: RankLists, group: &'static str) -> impl IntoView {
    let s = use_strings();
    let t = s.stats;
    let locale = use_locale();
    let too_few = lists
        .too_few
        .iter()
        .map(|l| view! { <li>{format!("{} ({}) · {}", l.name.get(locale), l.code, l.ratings)}</li> })
        .collect_view();
    view! {
        <h3>{group}</h3>
        {if lists.red.is_empty() {
            view! { <p>{t.nobody_ranked}</p> }.into_any()
        } else {
            view! {
                <UnitTable lines=lists.red.clone() caption=format!("{group} · {}", t.red_heading) ranked=true/>
                {(!lists.black.is_empty()).then(|| view! {
                    <UnitTable lines=lists.black.clone() caption=format!("{group} · {}", t.black_heading) ranked=true/>
                })}
            }.into_any()
        }}
        {(!lists.too_few.is_empty()).then(|| view! {
            <details class="too-few">
                <summary>{format!("{} · {} ({})", group, t.too_few_heading, lists.too_few.len())}</summary>
                <ul>{too_few}</ul>
            </details>
        })}
    }
    .into_any()
}

#[component]
fn HeatmapView(map: Heatmap) -> impl IntoView {
    let s = use_strings();
    let t = s.stats;
    const CELL: u32 = 22;
    const LEFT: u32 = 40;
    const TOP: u32 = 18;
    let hours: Vec<u8> = (map.first_hour..=map.last_hour).collect();
    let width = LEFT + CELL * hours.len() as u32;
    let height = TOP + CELL * 7;
    // "Mon", or the last character of "星期一".
    let short_day = |i: usize| {
        let name = t.weekday_names[i];
        if name.is_ascii() {
            name.chars().take(3).collect::<String>()
        } else {
            name.chars().last().map(String::from).unwrap_or_default()
        }
    };
    let max = map.max.max(1);
    let cells = map
        .cells
        .iter()
        .enumerate()
        .map(|(day, row)| {
            let label = view! { <text x="2" y=(TOP + day as u32 * CELL + 15).to_string() class="chart-label">{short_day(day)}</text> };
            let squares = row
                .iter()
                .enumerate()
                .map(|(h, n)| {
                    // Five steps of shade, so equal numbers always look equal.
                    let step = if *n == 0 { 0 } else { 1 + (4 * n / max).min(4) };
                    view! {
                        <rect x=(LEFT + h as u32 * CELL).to_string() y=(TOP + day as u32 * CELL).to_string()
                            width=(CELL - 2).to_string() height=(CELL - 2).to_string() class=format!("heat heat-{step}")></rect>
                    }
                })
                .collect_view();
            view! { {label}{squares} }
        })
        .collect_view();
    let hour_labels = hours
        .iter()
        .enumerate()
        .filter(|(_, h)| *h % 2 == 0)
        .map(|(i, h)| view! { <text x=(LEFT + i as u32 * CELL + 2).to_string() y="12" class="chart-axis">{h.to_string()}</text> })
        .collect_view();
    let head = hours
        .iter()
        .map(|h| view! { <th scope="col" class="num">{format!("{h}:00")}</th> })
        .collect_view();
    let body = map
        .cells
        .iter()
        .enumerate()
        .map(|(day, row)| {
            let cells = row.iter().map(|n| view! { <td class="num">{n.to_string()}</td> }).collect_view();
            view! { <tr><th scope="row">{t.weekday_names[day]}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <svg class="chart heatmap" viewBox=format!("0 0 {width} {height}") aria-hidden="true" focusable="false" role="presentation">
            {hour_labels}
            {cells}
        </svg>
        <div class="table-scroll" role="region" aria-labelledby="heatmap-heading" tabindex="0">
            <table class="stats-table heat-table">
                <caption>{t.heatmap_heading}</caption>
                <thead><tr><th scope="col">{t.hour_col}</th>{head}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

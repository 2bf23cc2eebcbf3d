"""outcome_mapping: the narrative's review and lawsuit outcomes, classified, agree with the table.

Each outcome the narrative lists is put into a table category by the template's wording map
(行政诉讼: 判决驳回诉讼请求 → 维持; 判决撤销, 判决履行 → 被依法纠错; 裁定驳回起诉, 裁定撤诉, 其他 → 其他情形);
the category sums must equal the table's outcome rows. Only complete lists (adding up to the total
the text gives) are compared; a list with an outcome the map does not know is not checked.

Pass::

    维持42件，撤销25件，确认违法3件，责令履行2件，驳回1件，不予受理2件，撤回19件，其他3件 → 42 / 30 / 25 = 表 42 / 30 / 25

Fail::

    判决驳回诉讼请求55件，判决撤销8件，判决履行3件，裁定驳回起诉4件，裁定撤诉2件，其他19件 → 55 / 11 / 25 ≠ 表 55 / 17 / 19
"""

from __future__ import annotations

from typing import Any

from validator.checks.base import Context, Kind, fmt, stated_location, table_locations


class OutcomeMapping(Kind):
    NAME = "outcome_mapping"
    EXAMPLE_PASS = "维持42件，撤销25件，确认违法3件，责令履行2件，驳回1件，不予受理2件，撤回19件，其他3件 → 42 / 30 / 25 = 表 42 / 30 / 25"
    EXAMPLE_FAIL = "判决驳回诉讼请求55件，判决撤销8件，判决履行3件，裁定驳回起诉4件，裁定撤诉2件，其他19件 → 55 / 11 / 25 ≠ 表 55 / 17 / 19"

    def frame(self, ctx: Context):
        import pandas as pd

        rows = []
        for ri, ex in enumerate(ctx.extractions):
            nums = ex.narrative.numbers
            for bi, b in enumerate(ex.narrative.breakdowns):
                if any(it.category is None for it in b.items):
                    continue
                if abs(sum(nums[it.number].value for it in b.items) - nums[b.total].value) > 1e-9:
                    continue  # a partial list (or one that P3 reports) cannot be compared category by category
                keys = [c.key for c in b.breakdown.categories]
                figs = [ex.table_figure(k) for k in keys]
                if any(f is None or f.value is None for f in figs):
                    continue
                text_sums = {k: sum(nums[it.number].value for it in b.items if it.category == k) for k in keys}
                table = {k: f.value for k, f in zip(keys, figs, strict=True)}
                rows.append({"report": ri, "breakdown": bi, "text": text_sums, "table": table,
                             "equal": all(abs(text_sums[k] - table[k]) < 1e-9 for k in keys)})
        return pd.DataFrame(rows, columns=["report", "breakdown", "text", "table", "equal"])

    def passes(self, df):
        return df["equal"].astype(bool)

    def explain(self, ctx: Context, df, row: Any):
        r = ctx.record(df, row)
        ex = ctx.extractions[int(r["report"])]
        nums = ex.narrative.numbers
        b = ex.narrative.breakdowns[int(r["breakdown"])]
        bd = b.breakdown
        zh_parts, en_parts, table_zh, table_en = [], [], [], []
        order = self.ruleset.memo("figure_order", lambda rs: {k: i for i, k in enumerate(rs.figures)})
        cats = sorted(bd.categories, key=lambda c: order[c.key])
        for cat in cats:
            items = [nums[it.number] for it in b.items if it.category == cat.key]
            detail = " + ".join(f"{n.phrase} {n.text}" for n in items) or "无"
            zh_parts.append(f"{cat.label} {fmt(r['text'][cat.key])}（{detail}）")
            en_parts.append(f"{self.label(cat.key, 'en')} {fmt(r['text'][cat.key])}")
            table_zh.append(f"{cat.label} {fmt(r['table'][cat.key])}")
            table_en.append(fmt(r["table"][cat.key]))
        message = (f"{bd.title}：正文所列结果按口径归类为 {'、'.join(zh_parts)}；"
                   f"统计表为 {'、'.join(table_zh)}")
        message_en = (f"{bd.title_en or bd.name}: the text's outcomes classify as {', '.join(en_parts)}; "
                      f"the table reports {' / '.join(table_en)}")
        locs = table_locations(ex, [(c.key, "table") for c in cats])
        locs += [stated_location(ex, it.number, it.category or "", "narrative") for it in b.items]
        expected = {c.label: r["text"][c.key] for c in cats}
        actual = {c.label: r["table"][c.key] for c in cats}
        return [self.finding(message, message_en, expected=expected, actual=actual, locations=locs,
                             instance=bd.name)]

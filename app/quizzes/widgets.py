"""The inputs of one quiz question as HTML, built in Python like WTForms' widgets: a
quiz page holds dozens of inputs, and building them here costs a fraction of doing it in
a template loop. Every text is escaped (the labels by the caller, what the learner typed
here) except the question's own texts, which the pool has already rendered and
sanitised (app.quizzes.pool)."""

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from app.quizzes.forms import field_name
from app.quizzes.pool import PoolQuestion


def _checked(on: bool) -> str:
    return " checked" if on else ""


def question_html(
    q: PoolQuestion,
    entry: Mapping[str, Any],
    number: int,
    values: Mapping[str, list[str]],
    error: str | None,
    labels: Mapping[str, str],
) -> Markup:
    """One question as a fieldset whose legend is its number and text, with its inputs
    showing ``values`` (form values by input name) and ``error`` next to it. ``labels``
    holds the interface texts in the user's language, already escaped: "number" (with
    %(n)s), "multi", "true", "false", "choose", "answer", "number_answer", "essay"."""
    if q.kind == "description":
        return Markup(f'<div class="quiz-description">{q.text_html}</div>\n')  # noqa: S704 - sanitised
    name = field_name(q.id)
    chosen = values.get(name, [])
    described = f' aria-describedby="{name}-error"' if error else ""
    out = [
        f'<fieldset class="question{" has-error" if error else ""}" id="question-{q.id}"'
        f"{described}>",
        f'<legend><span class="q-number">{labels["number"] % {"n": number}}</span> '
        f'<span class="q-text">{q.text_html}</span></legend>',
    ]
    if error:
        out.append(f'<p class="field-error" id="{name}-error">{escape(error)}</p>')
    if q.kind in ("single", "multi"):
        kind = "radio" if q.kind == "single" else "checkbox"
        if q.kind == "multi":
            out.append(f'<p class="hint">{labels["multi"]}</p>')
        for position, index in enumerate(entry["order"]):
            out.append(
                f'<label class="option"><input type="{kind}" name="{name}" value="{position}"'
                f"{_checked(str(position) in chosen)}> <span>{q.answers_html[index]}</span>"
                "</label>"
            )
    elif q.kind == "truefalse":
        for value in ("true", "false"):
            out.append(
                f'<label class="option"><input type="radio" name="{name}" value="{value}"'
                f"{_checked(value in chosen)}> <span>{labels[value]}</span></label>"
            )
    elif q.kind == "matching":
        choices = [q.matches_option[c] for c in entry["choices"]]
        for n, index in enumerate(entry["order"]):
            item = field_name(q.id, n)
            picked = values.get(item, [""])[0]
            options = "".join(
                f'<option value="{c}"{" selected" if str(c) == picked else ""}>{text}</option>'
                for c, text in enumerate(choices)
            )
            out.append(
                f'<div class="match-row"><label for="{item}">{q.answers_html[index]}</label>'
                f'<select id="{item}" name="{item}"><option value="">'
                f"{labels['choose']}</option>{options}</select></div>"
            )
    else:
        typed = escape(chosen[0]) if chosen else ""
        invalid = ' aria-invalid="true"' if error else ""
        if q.kind == "essay":
            out.append(
                f'<label class="answer-label" for="{name}-input">{labels["essay"]}'
                f'</label><textarea id="{name}-input" name="{name}" rows="5" maxlength="5000"'
                f"{invalid}>{typed}</textarea>"
            )
        else:
            label, extra = labels["answer"], ' maxlength="200"'
            if q.kind == "numerical":
                label, extra = labels["number_answer"], ' inputmode="decimal" maxlength="50"'
            out.append(
                f'<label class="answer-label" for="{name}-input">{label}</label>'
                f'<input id="{name}-input" type="text" name="{name}" value="{typed}" '
                f'autocomplete="off"{extra}{invalid}>'
            )
    out.append("</fieldset>\n")
    return Markup("\n".join(out))  # noqa: S704 - every part escaped or sanitised

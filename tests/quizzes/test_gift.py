"""The GIFT reader and writer: every example of Moodle's GIFT documentation (and of the
examples.txt and unit tests that ship with Moodle's importer), the errors, the canonical
form, and a property test of the round trip."""

from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.quizzes.gift import (
    FORMATS,
    KINDS,
    Answer,
    GiftError,
    Question,
    dump,
    parse,
    parse_each,
    validate,
)


def one(text: str) -> Question:
    questions = parse(text)
    assert len(questions) == 1, questions
    return questions[0]


def tf(correct: bool, true_feedback: str = "", false_feedback: str = "") -> tuple[Answer, ...]:
    return (
        Answer("TRUE", 1.0 if correct else 0.0, true_feedback),
        Answer("FALSE", 0.0 if correct else 1.0, false_feedback),
    )


# --- every example of the documentation ----------------------------------------------------

GRANT = "Who's buried in Grant's tomb?"

DOC_EXAMPLES = {
    # "Format symbols" quick examples.
    "quick_truefalse": (
        "// true/false\n::Q1:: 1+1=2 {T}",
        Question("Q1", "truefalse", "1+1=2", tf(True)),
    ),
    "quick_choice_with_feedback": (
        "// multiple choice with specified feedback for right and wrong answers\n"
        "::Q2:: What's between orange and green in the spectrum?\n"
        "{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }",
        Question(
            "Q2",
            "single",
            "What's between orange and green in the spectrum?",
            (
                Answer("yellow", 1.0, "right; good!"),
                Answer("red", 0.0, "wrong, it's yellow"),
                Answer("blue", 0.0, "wrong, it's yellow"),
            ),
        ),
    ),
    "quick_fill_in_the_blank": (
        "// fill-in-the-blank\n::Q3:: Two plus {=two =2} equals four.",
        Question(
            "Q3",
            "short",
            "Two plus",
            (Answer("two", 1.0), Answer("2", 1.0)),
            text_after=" equals four.",
        ),
    ),
    "quick_matching": (
        "// matching\n::Q4:: Which animal eats which food? { =cat -> cat food =dog -> dog food }",
        Question(
            "Q4",
            "matching",
            "Which animal eats which food?",
            (Answer("cat", 1.0, match="cat food"), Answer("dog", 1.0, match="dog food")),
        ),
    ),
    "quick_math_range_tolerance": (
        "// math range question\n::Q5:: What is a number from 1 to 5? {#3:2}",
        Question(
            "Q5", "numerical", "What is a number from 1 to 5?", (Answer("3", 1.0, tolerance=2.0),)
        ),
    ),
    "quick_math_range_end_points": (
        "// math range specified with interval end points\n"
        "::Q6:: What is a number from 1 to 5? {#1..5}\n"
        "// translated on import to the same as Q5, but unavailable from Moodle question interface",
        Question("Q6", "numerical", "What is a number from 1 to 5?", (Answer("1..5", 1.0),)),
    ),
    "quick_numeric_partial_credit": (
        "// multiple numeric answers with partial credit and feedback\n"
        "::Q7:: When was Ulysses S. Grant born? {#\n"
        "    =1822:0 # Correct! Full credit.\n"
        "    =%50%1822:2 # He was born in 1822. Half credit for being close.\n"
        "}",
        Question(
            "Q7",
            "numerical",
            "When was Ulysses S. Grant born?",
            (
                Answer("1822", 1.0, "Correct! Full credit.", tolerance=0.0),
                Answer(
                    "1822", 0.5, "He was born in 1822. Half credit for being close.", tolerance=2.0
                ),
            ),
        ),
    ),
    "quick_essay": ("// essay\n::Q8:: How are you? {}", Question("Q8", "essay", "How are you?")),
    # Multiple choice.
    "choice": (
        "Who's buried in Grant's tomb?{=Grant ~no one ~Napoleon ~Churchill ~Mother Teresa }",
        Question(
            "",
            "single",
            GRANT,
            (
                Answer("Grant", 1.0),
                Answer("no one"),
                Answer("Napoleon"),
                Answer("Churchill"),
                Answer("Mother Teresa"),
            ),
        ),
    ),
    "choice_title_and_feedback_on_own_lines": (
        "//Comment line \n::Question title \n:: Question {\n=A correct answer\n"
        "~Wrong answer1\n#A response to wrong answer1\n~Wrong answer2\n"
        "#A response to wrong answer2\n~Wrong answer3\n#A response to wrong answer3\n"
        "~Wrong answer4\n#A response to wrong answer4\n}",
        Question(
            "Question title",
            "single",
            "Question",
            (Answer("A correct answer", 1.0),)
            + tuple(
                Answer(f"Wrong answer{n}", 0.0, f"A response to wrong answer{n}")
                for n in (1, 2, 3, 4)
            ),
        ),
    ),
    "choice_grants_tomb_feedback": (
        "// question: 1 name: Grants tomb\n"
        "::Grants tomb::Who is buried in Grant's tomb in New York City? {\n"
        "=Grant\n"
        "~No one\n"
        "#Was true for 12 years, but Grant's remains were buried in the tomb in 1897\n"
        "~Napoleon\n#He was buried in France\n"
        "~Churchill\n#He was buried in England\n"
        "~Mother Teresa\n#She was buried in India\n"
        "}",
        Question(
            "Grants tomb",
            "single",
            "Who is buried in Grant's tomb in New York City?",
            (
                Answer("Grant", 1.0),
                Answer(
                    "No one",
                    0.0,
                    "Was true for 12 years, but Grant's remains were buried in the tomb in 1897",
                ),
                Answer("Napoleon", 0.0, "He was buried in France"),
                Answer("Churchill", 0.0, "He was buried in England"),
                Answer("Mother Teresa", 0.0, "She was buried in India"),
            ),
        ),
    ),
    "missing_word_moodle_costs": (
        "Moodle costs {~lots of money =nothing ~a small amount} to download from moodle.org.",
        Question(
            "",
            "single",
            "Moodle costs",
            (Answer("lots of money"), Answer("nothing", 1.0), Answer("a small amount")),
            text_after=" to download from moodle.org.",
        ),
    ),
    "missing_word_gandhi": (
        "Mahatma Gandhi's birthday is an Indian holiday on  {~15th ~3rd =2nd} of October.",
        Question(
            "",
            "single",
            "Mahatma Gandhi's birthday is an Indian holiday on",
            (Answer("15th"), Answer("3rd"), Answer("2nd", 1.0)),
            text_after=" of October.",
        ),
    ),
    "missing_word_hastings": (
        "Since { ~495 AD =1066 AD ~1215 AD ~ 43 AD } the town of Hastings England has been "
        '"famous with visitors".',
        Question(
            "",
            "single",
            "Since",
            (Answer("495 AD"), Answer("1066 AD", 1.0), Answer("1215 AD"), Answer("43 AD")),
            text_after=' the town of Hastings England has been "famous with visitors".',
        ),
    ),
    "multiple_right_answers": (
        "What two people are entombed in Grant's tomb? {\n"
        "~%-100%No one\n~%50%Grant\n~%50%Grant's wife\n~%-100%Grant's father\n}",
        Question(
            "",
            "multi",
            "What two people are entombed in Grant's tomb?",
            (
                Answer("No one", -1.0),
                Answer("Grant", 0.5),
                Answer("Grant's wife", 0.5),
                Answer("Grant's father", -1.0),
            ),
        ),
    ),
    # True-false.
    "true_statement": (
        "// question: 0 name: TrueStatement using {T} style\n"
        "::TrueStatement about Grant::Grant was buried in a tomb in New York City.{T}",
        Question(
            "TrueStatement about Grant",
            "truefalse",
            "Grant was buried in a tomb in New York City.",
            tf(True),
        ),
    ),
    "false_statement": (
        "// question: 0 name: FalseStatement using {FALSE} style\n"
        "::FalseStatement about sun::The sun rises in the West.{FALSE}",
        Question("FalseStatement about sun", "truefalse", "The sun rises in the West.", tf(False)),
    ),
    # Short answer.
    "short_answer": (
        "Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant =Ulysses Grant}",
        Question(
            "",
            "short",
            GRANT,
            (Answer("Grant", 1.0), Answer("Ulysses S. Grant", 1.0), Answer("Ulysses Grant", 1.0)),
        ),
    ),
    "short_answer_missing_word": (
        "Two plus two equals {=four =4}.",
        Question(
            "",
            "short",
            "Two plus two equals",
            (Answer("four", 1.0), Answer("4", 1.0)),
            text_after=".",
        ),
    ),
    # Matching.
    "matching_with_general_feedback": (
        "Match the following countries with their corresponding capitals. {\n"
        "   =Canada -> Ottawa\n   =Italy  -> Rome\n   =Japan  -> Tokyo\n"
        "   =India  -> New Delhi\n   ####It's good to know the capitals\n}",
        Question(
            "",
            "matching",
            "Match the following countries with their corresponding capitals.",
            (
                Answer("Canada", 1.0, match="Ottawa"),
                Answer("Italy", 1.0, match="Rome"),
                Answer("Japan", 1.0, match="Tokyo"),
                Answer("India", 1.0, match="New Delhi"),
            ),
            general_feedback="It's good to know the capitals",
        ),
    ),
    # Numerical.
    "numerical_tolerance": (
        "When was Ulysses S. Grant born?{#1822:5}",
        Question(
            "",
            "numerical",
            "When was Ulysses S. Grant born?",
            (Answer("1822", 1.0, tolerance=5.0),),
        ),
    ),
    "numerical_pi_tolerance": (
        "What is the value of pi (to 3 decimal places)? {#3.14159:0.0005}.",
        Question(
            "",
            "numerical",
            "What is the value of pi (to 3 decimal places)?",
            (Answer("3.14159", 1.0, tolerance=0.0005),),
            text_after=".",
        ),
    ),
    "numerical_pi_range": (
        "What is the value of pi (to 3 decimal places)? {#3.141..3.142}.",
        Question(
            "",
            "numerical",
            "What is the value of pi (to 3 decimal places)?",
            (Answer("3.141..3.142", 1.0),),
            text_after=".",
        ),
    ),
    "numerical_several_answers": (
        "When was Ulysses S. Grant born? {#\n"
        "    =1822:0      # Correct! you will get full credit.\n"
        "    =%50%1822:2  # He was born in 1822. You get half credit for being close.\n}",
        Question(
            "",
            "numerical",
            "When was Ulysses S. Grant born?",
            (
                Answer("1822", 1.0, "Correct! you will get full credit.", tolerance=0.0),
                Answer(
                    "1822",
                    0.5,
                    "He was born in 1822. You get half credit for being close.",
                    tolerance=2.0,
                ),
            ),
        ),
    ),
    # Essay and description.
    "essay": (
        "Write a short biography of Dag Hammarskjöld. {}",
        Question("", "essay", "Write a short biography of Dag Hammarskjöld."),
    ),
    "description": (
        "You can use your pencil and paper for these next math questions.",
        Question(
            "", "description", "You can use your pencil and paper for these next math questions."
        ),
    ),
    # Options: comments, names, feedback, weights, formats, multiple answers, escapes.
    "line_comment": (
        "// Subheading: Numerical questions below\nWhat's 2 plus 2? {#4}",
        Question("", "numerical", "What's 2 plus 2?", (Answer("4", 1.0, tolerance=0.0),)),
    ),
    "question_name_kanji": (
        "::Kanji Origins::Japanese characters originally\ncame from what country? {=China}",
        Question(
            "Kanji Origins",
            "short",
            "Japanese characters originally\ncame from what country?",
            (Answer("China", 1.0),),
        ),
    ),
    "question_name_thanksgiving": (
        "::Thanksgiving Date::The American holiday of Thanksgiving is\n"
        "celebrated on the {~second ~third =fourth} Thursday of November.",
        Question(
            "Thanksgiving Date",
            "single",
            "The American holiday of Thanksgiving is\ncelebrated on the",
            (Answer("second"), Answer("third"), Answer("fourth", 1.0)),
            text_after=" Thursday of November.",
        ),
    ),
    "feedback_choice": (
        "What's the answer to this multiple-choice question?{\n"
        "~wrong answer#feedback comment on the wrong answer\n"
        "~another wrong answer#feedback comment on this wrong answer\n"
        "=right answer#Very good!}",
        Question(
            "",
            "single",
            "What's the answer to this multiple-choice question?",
            (
                Answer("wrong answer", 0.0, "feedback comment on the wrong answer"),
                Answer("another wrong answer", 0.0, "feedback comment on this wrong answer"),
                Answer("right answer", 1.0, "Very good!"),
            ),
        ),
    ),
    "feedback_short": (
        "Who's buried in Grant's tomb?{\n=no one#excellent answer!\n=nobody#excellent answer!}",
        Question(
            "",
            "short",
            GRANT,
            (
                Answer("no one", 1.0, "excellent answer!"),
                Answer("nobody", 1.0, "excellent answer!"),
            ),
        ),
    ),
    "feedback_truefalse": (
        "Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.}",
        Question(
            "",
            "truefalse",
            "Grant is buried in Grant's tomb.",
            tf(False, true_feedback="No one is buried in Grant's tomb."),
        ),
    ),
    "weights_difficult_question": (
        "Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}",
        Question(
            "",
            "single",
            "Difficult question.",
            (
                Answer("wrong answer"),
                Answer("half credit answer", 0.5),
                Answer("full credit answer", 1.0),
            ),
        ),
    ),
    "weights_jesus_choice": (
        "::Jesus' hometown::Jesus Christ was from {\n"
        "    ~Jerusalem#This was an important city, but the wrong answer.\n"
        "    ~%25%Bethlehem#He was born here, but not raised here.\n"
        "    ~%50%Galilee#You need to be more specific.\n"
        "    =Nazareth#Yes! That's right!}.",
        Question(
            "Jesus' hometown",
            "single",
            "Jesus Christ was from",
            (
                Answer("Jerusalem", 0.0, "This was an important city, but the wrong answer."),
                Answer("Bethlehem", 0.25, "He was born here, but not raised here."),
                Answer("Galilee", 0.5, "You need to be more specific."),
                Answer("Nazareth", 1.0, "Yes! That's right!"),
            ),
            text_after=".",
        ),
    ),
    "weights_jesus_short": (
        "::Jesus' hometown:: Jesus Christ was from {\n"
        "    =Nazareth#Yes! That's right!\n"
        "    =%75%Nazereth#Right, but misspelled.\n"
        "    =%25%Bethlehem#He was born here, but not raised here.}",
        Question(
            "Jesus' hometown",
            "short",
            "Jesus Christ was from",
            (
                Answer("Nazareth", 1.0, "Yes! That's right!"),
                Answer("Nazereth", 0.75, "Right, but misspelled."),
                Answer("Bethlehem", 0.25, "He was born here, but not raised here."),
            ),
        ),
    ),
    "text_format_markdown": (
        "[markdown]Who's buried in **Grant's tomb**?{\n"
        "=no one#excellent answer!\n=nobody#excellent answer!}",
        Question(
            "",
            "short",
            "Who's buried in **Grant's tomb**?",
            (
                Answer("no one", 1.0, "excellent answer!"),
                Answer("nobody", 1.0, "excellent answer!"),
            ),
            format="markdown",
        ),
    ),
    "multiple_answers_zero_for_wrong": (
        "What two people are entombed in Grant's tomb? {\n"
        "    ~No one\n    ~%50%Grant\n    ~%50%Grant's wife\n    ~Grant's father }",
        Question(
            "",
            "multi",
            "What two people are entombed in Grant's tomb?",
            (
                Answer("No one"),
                Answer("Grant", 0.5),
                Answer("Grant's wife", 0.5),
                Answer("Grant's father"),
            ),
        ),
    ),
    "multiple_answers_negative_for_wrong": (
        "What two people are entombed in Grant's tomb? {\n"
        "    ~%-50%No one\n    ~%50%Grant\n    ~%50%Grant's wife\n    ~%-50%Grant's father }",
        Question(
            "",
            "multi",
            "What two people are entombed in Grant's tomb?",
            (
                Answer("No one", -0.5),
                Answer("Grant", 0.5),
                Answer("Grant's wife", 0.5),
                Answer("Grant's father", -0.5),
            ),
        ),
    ),
    "special_characters_equals": (
        "Which answer equals 5? {\n     ~ \\= 2 + 2\n     = \\= 2 + 3\n     ~ \\= 2 + 4  }",
        Question(
            "",
            "single",
            "Which answer equals 5?",
            (Answer("= 2 + 2"), Answer("= 2 + 3", 1.0), Answer("= 2 + 4")),
        ),
    ),
    "special_characters_control_characters": (
        "::GIFT Control Characters::\n"
        "Which of the following is NOT a control character for the GIFT import format? {\n"
        "   ~ \\~     # \\~ is a control character.\n"
        "   ~ \\=     # \\= is a control character.\n"
        "   ~ \\#     # \\# is a control character.\n"
        "   ~ \\{     # \\{ is a control character.\n"
        "   ~ \\}     # \\} is a control character.\n"
        "   = \\\\     # Correct! \\\\ (backslash) is not a control character. BUT,\n"
        "              it is used to escape the control characters.\n"
        "}",
        Question(
            "GIFT Control Characters",
            "single",
            "Which of the following is NOT a control character for the GIFT import format?",
            tuple(Answer(c, 0.0, f"{c} is a control character.") for c in "~=#{}")
            + (
                Answer(
                    "\\",
                    1.0,
                    "Correct! \\ (backslash) is not a control character. BUT,\n"
                    "              it is used to escape the control characters.",
                ),
            ),
        ),
    ),
    "special_characters_colon": (
        "The largest desert on Earth is\\: {\n=Antarctica\n~Sahara Desert\n"
        "~Australian Desert\n~Arabian Desert\n}",
        Question(
            "",
            "single",
            "The largest desert on Earth is:",
            (
                Answer("Antarctica", 1.0),
                Answer("Sahara Desert"),
                Answer("Australian Desert"),
                Answer("Arabian Desert"),
            ),
        ),
    ),
    "special_characters_bare_short_answer": (
        "1 + 2 \\= {3}",
        Question("", "short", "1 + 2 =", (Answer("3", 1.0),)),
    ),
    "general_feedback_essay": (
        "How are you? {\n####We hope you're feeling well.\n}",
        Question("", "essay", "How are you?", general_feedback="We hope you're feeling well."),
    ),
}

# Examples of examples.txt (question/format/gift) that the documentation does not repeat.
MOODLE_EXAMPLES = {
    "grants_tomb_missing_word_feedback": (
        "::Grant's Tomb::Grant is {\n      ~buried#No one is buried there.\n"
        "      =entombed#Right answer!\n      ~living#We hope not!\n} in Grant's tomb.",
        Question(
            "Grant's Tomb",
            "single",
            "Grant is",
            (
                Answer("buried", 0.0, "No one is buried there."),
                Answer("entombed", 1.0, "Right answer!"),
                Answer("living", 0.0, "We hope not!"),
            ),
            text_after=" in Grant's tomb.",
        ),
    ),
    "difficult_choice_spaced_feedback": (
        "Difficult multiple choice question.{\n"
        "     ~wrong answer           #comment on wrong answer\n"
        "     ~%50%half credit answer #comment on answer\n"
        "     =full credit answer     #well done!}",
        Question(
            "",
            "single",
            "Difficult multiple choice question.",
            (
                Answer("wrong answer", 0.0, "comment on wrong answer"),
                Answer("half credit answer", 0.5, "comment on answer"),
                Answer("full credit answer", 1.0, "well done!"),
            ),
        ),
    ),
    "matching_without_spaces": (
        "Match the following countries with their corresponding\n"
        "capitals.{=Canada->Ottawa =Italy->Rome =Japan->Tokyo}",
        Question(
            "",
            "matching",
            "Match the following countries with their corresponding\ncapitals.",
            (
                Answer("Canada", 1.0, match="Ottawa"),
                Answer("Italy", 1.0, match="Rome"),
                Answer("Japan", 1.0, match="Tokyo"),
            ),
        ),
    ),
    "numerical_multiline_feedback": (
        "//this comment will be ignored by the filter\n::Numerical example::\n"
        "When was Ulysses S. Grant born? {#\n     =1822:0      #Correct! 100% credit\n"
        "     =%50%1822:2  #He was born in 1822.\n"
        "                  You get 50% credit for being close.\n}",
        Question(
            "Numerical example",
            "numerical",
            "When was Ulysses S. Grant born?",
            (
                Answer("1822", 1.0, "Correct! 100% credit", tolerance=0.0),
                Answer(
                    "1822",
                    0.5,
                    "He was born in 1822.\n                  You get 50% credit for being close.",
                    tolerance=2.0,
                ),
            ),
        ),
    ),
    # From Moodle's importer unit tests (giftformat_test.php).
    "match_formats_and_distractor": (
        "// question: 2  name: Moodle activities\n"
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        "    =[html]An activity supporting asynchronous discussions. -> Forum\n"
        "    =[moodle]A teacher asks a question and specifies a choice of multiple responses."
        " -> Choice\n"
        "    =[plain]A bank of record entries which participants can add to. -> Database\n"
        "    =[markdown]A collection of web pages that anyone can add to or edit. -> Wiki\n"
        "    = -> Chat\n}",
        Question(
            "Moodle activities",
            "matching",
            "Match the <b>activity</b> to the description.",
            (
                Answer("An activity supporting asynchronous discussions.", 1.0, match="Forum"),
                Answer(
                    "A teacher asks a question and specifies a choice of multiple responses.",
                    1.0,
                    match="Choice",
                    format="moodle",
                ),
                Answer(
                    "A bank of record entries which participants can add to.",
                    1.0,
                    match="Database",
                    format="plain",
                ),
                Answer(
                    "A collection of web pages that anyone can add to or edit.",
                    1.0,
                    match="Wiki",
                    format="markdown",
                ),
                Answer("", 0.0, match="Chat"),
            ),
            format="html",
        ),
    ),
    "choice_answer_and_feedback_formats": (
        "::Q2:: What's between orange and green in the spectrum?\n{\n"
        "    =yellow # right; good!\n    ~red # [html]wrong, it's yellow\n"
        "    ~[plain]blue # wrong, it's yellow\n}",
        Question(
            "Q2",
            "single",
            "What's between orange and green in the spectrum?",
            (
                Answer("yellow", 1.0, "right; good!"),
                Answer("red", 0.0, "wrong, it's yellow", feedback_format="html"),
                Answer("blue", 0.0, "wrong, it's yellow", format="plain"),
            ),
        ),
    ),
    "multi_formats": (
        "::colours:: What's between orange and green in the spectrum?\n{\n"
        "    ~%50%yellow # right; good!\n    ~%-100%red # [html]wrong\n"
        "    ~%50%off-beige # right; good!\n    ~%-100%[plain]blue # wrong\n}",
        Question(
            "colours",
            "multi",
            "What's between orange and green in the spectrum?",
            (
                Answer("yellow", 0.5, "right; good!"),
                Answer("red", -1.0, "wrong", feedback_format="html"),
                Answer("off-beige", 0.5, "right; good!"),
                Answer("blue", -1.0, "wrong", format="plain"),
            ),
        ),
    ),
    "numerical_feedback_for_any_other_number": (
        "// math range question\n::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}",
        Question(
            "Q5",
            "numerical",
            "What is a number from 1 to 5?",
            (Answer("3", 1.0, tolerance=2.0), Answer("*", 0.0, "Completely wrong")),
        ),
    ),
    "short_answer_catch_all_and_html_general_feedback": (
        "::Shortanswer::Which is the best animal?{\n    =Frog#Good!\n"
        "    =%50%Cat#What is it with Moodlers and cats?\n    =%0%*#Completely wrong\n"
        "    ####[html]Here is some general feedback!\n}",
        Question(
            "Shortanswer",
            "short",
            "Which is the best animal?",
            (
                Answer("Frog", 1.0, "Good!"),
                Answer("Cat", 0.5, "What is it with Moodlers and cats?"),
                Answer("*", 0.0, "Completely wrong"),
            ),
            general_feedback="Here is some general feedback!",
            general_feedback_format="html",
        ),
    ),
    "truefalse_both_feedbacks": (
        "// true/false\n::Q1:: 42 is the Absolute Answer to everything.{\n"
        "FALSE#42 is the Ultimate Answer.#You gave the right answer.}",
        Question(
            "Q1",
            "truefalse",
            "42 is the Absolute Answer to everything.",
            tf(
                False,
                true_feedback="42 is the Ultimate Answer.",
                false_feedback="You gave the right answer.",
            ),
        ),
    ),
    "moodle_export_of_numerical": (
        "::Q5::What is a number from 1 to 5?{#\n\t=%100%3:2#\n\t~#Completely wrong\n}",
        Question(
            "Q5",
            "numerical",
            "What is a number from 1 to 5?",
            (Answer("3", 1.0, tolerance=2.0), Answer("*", 0.0, "Completely wrong")),
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(DOC_EXAMPLES))
def test_reads_every_example_of_the_gift_documentation(name):
    text, expected = DOC_EXAMPLES[name]
    assert one(text) == expected


@pytest.mark.parametrize("name", sorted(MOODLE_EXAMPLES))
def test_reads_the_examples_shipped_with_moodles_importer(name):
    text, expected = MOODLE_EXAMPLES[name]
    assert one(text) == expected


@pytest.mark.parametrize("examples", [DOC_EXAMPLES, MOODLE_EXAMPLES])
def test_reads_all_examples_as_one_file_separated_by_blank_lines(examples):
    names = sorted(examples)
    questions = parse("\n\n".join(examples[name][0] for name in names))
    assert questions == [examples[name][1] for name in names]


@pytest.mark.parametrize("examples", [DOC_EXAMPLES, MOODLE_EXAMPLES])
def test_documentation_examples_survive_a_round_trip(examples):
    questions = [examples[name][1] for name in sorted(examples)]
    assert parse(dump(questions)) == questions


# --- details of the syntax ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "correct"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)]
)
def test_true_false_accepts_short_and_long_spellings(answer, correct):
    assert one(f"The sun rises in the east.{{{answer}}}").answers == tf(correct)


def test_true_false_feedback_comes_wrong_answer_first_then_right_answer():
    # Moodle: {TRUE#feedback for a wrong answer#feedback for a right answer}
    question = one("Hà Nội là thủ đô.{TRUE#Sai rồi.#Chính xác!}")
    true, false = question.answers
    assert (true.fraction, true.feedback) == (1.0, "Chính xác!")
    assert (false.fraction, false.feedback) == (0.0, "Sai rồi.")


def test_true_false_takes_general_feedback_after_four_hashes():
    question = one("Đúng hay sai?{T#sai#đúng####Giải thích chung}")
    assert question.answers == tf(True, "đúng", "sai")
    assert question.general_feedback == "Giải thích chung"


def test_lowercase_true_is_a_short_answer_as_in_moodle():
    assert one("The opposite of false? {true}").answers == (Answer("true", 1.0),)


def test_a_question_without_title_gets_an_empty_title():
    assert one("Câu hỏi không tên? {T}").title == ""


def test_the_title_may_contain_escaped_colons_and_spread_over_lines():
    assert one("::a\\:b\\::: text {T}").title == "a:b:"
    assert one("::Question title \n:: Question {T}").title == "Question title"


def test_escaped_newline_becomes_a_line_break():
    assert one("Dòng một\\nDòng hai {T}").text == "Dòng một\nDòng hai"


def test_double_backslash_is_one_backslash_and_other_backslashes_stay():
    question = one("Công thức \\(x^2\\) và C:\\\\Windows {T}")
    assert question.text == "Công thức \\(x^2\\) và C:\\Windows"


def test_an_escaped_backslash_before_n_is_not_a_line_break():
    assert one("a\\\\nb {T}").text == "a\\nb"


def test_braces_can_be_escaped_in_text_and_answers():
    question = one("Tập \\{1, 2\\} {=\\{1\\} ~\\{\\}}")
    assert question.text == "Tập {1, 2}"
    assert [a.text for a in question.answers] == ["{1}", "{}"]


def test_comment_lines_inside_a_question_are_ignored_and_do_not_split_it():
    question = one("::q:: Chọn {\n  =a\n  // không phải đáp án\n  ~b\n}")
    assert [a.text for a in question.answers] == ["a", "b"]


def test_double_slash_inside_a_line_is_not_a_comment():
    assert one("Trang https://example.vn có mở được không? {T}").text.endswith("được không?")


def test_blank_lines_with_spaces_separate_questions():
    assert [q.title for q in parse("::a:: x {T}\n   \t\n::b:: y {F}")] == ["a", "b"]


def test_windows_line_endings_and_byte_order_mark_are_accepted():
    questions = parse("\ufeff::a:: x {\r\n=1 ~2}\r\n\r\n::b:: y {F}\r\n")
    assert [q.title for q in questions] == ["a", "b"]
    assert questions[0].answers[0].text == "1"


def test_empty_file_and_comment_only_file_have_no_questions():
    assert parse("") == []
    assert parse("// chỉ có chú thích\n\n// và thêm nữa\n") == []


def test_category_applies_to_the_questions_that_follow():
    text = (
        "$CATEGORY: tom\n\n::a:: x {T}\n\n"
        "// nested categories use slashes\n$CATEGORY: tom/dick/harry\n\n::b:: y {F}"
    )
    assert [(q.title, q.category) for q in parse(text)] == [("a", "tom"), ("b", "tom/dick/harry")]


def test_category_line_may_be_followed_directly_by_a_question():
    question = one("$CATEGORY: $course$/top/Chuyển đổi số\n::a:: x {T}")
    assert question.category == "$course$/top/Chuyển đổi số"


def test_questions_before_any_category_have_none():
    assert parse("::a:: x {T}\n\n$CATEGORY: c\n\n::b:: y {T}")[0].category == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_prefix_sets_the_question_format(fmt):
    question = one(f"::q:: [{fmt}]Chữ **đậm** {{T}}")
    assert (question.format, question.text) == (fmt, "Chữ **đậm**")


def test_answers_inherit_the_question_format_unless_they_name_their_own():
    question = one("[markdown]Q {=[html]<b>a</b>#[plain]p ~[markdown]b#[markdown]c}")
    first, second = question.answers
    assert (first.text, first.format, first.feedback_format) == ("<b>a</b>", "html", "plain")
    # Naming the inherited format is the same as naming none.
    assert (second.format, second.feedback_format) == (None, None)


def test_bracketed_text_that_is_not_a_format_stays_text():
    assert one("[ghi chú] Câu hỏi {T}").text == "[ghi chú] Câu hỏi"


def test_missing_word_keeps_the_rest_of_the_sentence_with_its_space():
    question = one("Doanh nghiệp {=số hoá ~in ấn} quy trình bán hàng.")
    assert (question.text, question.text_after) == ("Doanh nghiệp", " quy trình bán hàng.")


def test_answers_at_the_end_leave_no_rest_of_sentence():
    assert one("Câu hỏi? {T}   ").text_after == ""


def test_decimal_and_negative_weights_are_read_exactly():
    question = one("Q {~%33.33333%a ~%33.33333%b ~%33.33334%c ~%-12.5%d}")
    assert [a.fraction for a in question.answers] == [0.3333333, 0.3333333, 0.3333334, -0.125]


def test_a_percent_sign_that_is_not_a_weight_is_answer_text():
    question = one("Tỉ lệ? {=% doanh thu ~%abc% x}")
    assert [(a.text, a.fraction) for a in question.answers] == [
        ("% doanh thu", 1.0),
        ("%abc% x", 0.0),
    ]


def test_weights_of_100_percent_in_a_multiple_response_question():
    question = one("Q {~%100%a ~%-100%b}")
    assert (question.kind, [a.fraction for a in question.answers]) == ("multi", [1.0, -1.0])


def test_several_weighted_numerical_answers():
    question = one("Năm nào? {#=%100%2000:0 =%50%2001:1}")
    assert question.answers == (
        Answer("2000", 1.0, tolerance=0.0),
        Answer("2001", 0.5, tolerance=1.0),
    )


@pytest.mark.parametrize(
    ("source", "interval"),
    [
        ("{#1822:5}", (1817.0, 1827.0)),
        ("{#1822}", (1822.0, 1822.0)),
        ("{#-5..-1}", (-5.0, -1.0)),
        ("{#1.5..2.5}", (1.5, 2.5)),
        ("{#1e3:10}", (990.0, 1010.0)),
        ("{#=2 =%50%*}", None),
    ],
)
def test_numerical_answers_give_their_accepted_interval(source, interval):
    question = one("::n:: Số? " + source)
    assert question.answers[-1].numeric_range() == interval


def test_short_answers_keep_wildcards_for_grading():
    question = one("Tên? {=*Grant* =\\*literal}")
    assert [a.text for a in question.answers] == ["*Grant*", "\\*literal"]


def test_vietnamese_question_reads_with_diacritics_intact():
    question = one(
        "::cds-01:: Chuyển đổi số trong doanh nghiệp nhỏ bắt đầu từ đâu? {\n"
        "    =Từ khách hàng và quy trình#Đúng: công nghệ phục vụ quy trình.\n"
        "    ~Mua phần mềm đắt nhất#Chưa đúng.\n"
        "    ####Ưu tiên những việc lặp đi lặp lại.\n"
        "}"
    )
    assert question.answers[0] == Answer(
        "Từ khách hàng và quy trình", 1.0, "Đúng: công nghệ phục vụ quy trình."
    )
    assert question.general_feedback == "Ưu tiên những việc lặp đi lặp lại."


def test_each_question_remembers_its_first_line_without_it_affecting_equality():
    questions = parse("// đầu tệp\n\n::a:: x {T}\n\n\n// chú thích\n::b::\ny {F}")
    assert [q.line for q in questions] == [3, 7]
    assert questions[0] == Question("a", "truefalse", "x", tf(True), line=99)


def test_matching_distractor_has_an_empty_item_and_no_credit():
    question = one("Ghép {=a -> 1 =b -> 2 = -> 3}")
    assert question.answers[-1] == Answer("", 0.0, match="3")


def test_a_match_may_contain_an_arrow_after_the_first_one():
    assert one("Ghép {=a -> x->y =b -> z}").answers[0].match == "x->y"


# --- errors -------------------------------------------------------------------------------

ERRORS = {
    "unclosed_brace": ("::q:: ok {T}\n\n::r:: Câu hỏi {\n=a\n~b\n", 3, "unclosed brace"),
    "blank_line_inside_answers": ("::q:: Câu hỏi {\n=a\n\n~b\n}", 1, "unclosed brace"),
    "closing_brace_without_opening": ("::q:: Câu } hỏi\n{=a ~b}", 1, "without an opening"),
    "closing_brace_after_the_block": ("::q:: Câu {=a ~b}\nhỏi }", 2, "without an opening"),
    "second_answer_block": (
        "::q:: A {=a ~b}\n::r:: B {=c ~d}",
        2,
        "is a blank line missing between two questions",
    ),
    "brace_inside_answers": ("::q:: A {\n=a\n~{b}\n}", 3, "inside an answer block"),
    "title_not_closed": ("\n::q Câu hỏi {T}", 2, "title is not closed"),
    "answer_without_marker_short": ("::q:: A {\n  foo\n  =bar\n}", 2, "without = or ~"),
    "answer_without_marker_choice": ("::q:: A {\nfoo ~bar =baz}", 2, "without = or ~"),
    "answer_without_marker_matching": ("::q:: A {\nx\n=a -> 1\n=b -> 2}", 2, "without = or ~"),
    "weight_after_equals_in_choice": (
        "::q:: A {\n~a\n=%50%b\n~c}",
        3,
        "'=' already means 100%",
    ),
    "weight_out_of_range": ("::q:: A {\n~%150%a\n=b}", 2, "out of range"),
    "multi_response_weights_too_low": (
        "::q:: A {\n~%50%a\n~%40%b\n~c}",
        1,
        "add up to 90%, not 100%",
    ),
    "multi_response_weights_too_high": (
        "::q:: A {~%50%a ~%50%b\n~%50%c}",
        1,
        "add up to 150%, not 100%",
    ),
    "multi_response_without_right_answer": ("::q:: A {~a ~b}", 1, "add up to 0%"),
    "choice_with_one_answer": ("::q::\nA {~%100%a}", 2, "at least 2 answers"),
    "choice_answer_without_text": ("::q:: A {\n=a\n~#lời nhận xét\n}", 3, "has no text"),
    "short_answer_without_text": ("::q:: A {\n=a\n=%50%\n}", 3, "has no text"),
    "short_answer_without_full_marks": ("::q:: A {=%50%a =%20%b}", 1, "full marks"),
    "numerical_bad_number": ("::q:: A {#\n=1822:1\n=abc:2\n}", 3, "bad number 'abc'"),
    "numerical_decimal_comma": ("::q:: A {#2,5}", 1, "bad number '2,5'"),
    "numerical_bad_tolerance": ("::q:: A {#\n=1822:x}", 2, "bad tolerance 'x'"),
    "numerical_negative_tolerance": ("::q:: A {#1822:-5}", 1, "negative"),
    "numerical_reversed_range": ("::q:: A {#\n=5..1}", 2, "minimum is above its maximum"),
    "numerical_without_answers": ("::q:: A {#}", 1, "needs at least one answer"),
    "numerical_without_number": ("::q:: A {#\n=1\n=%50%#nhận xét}", 3, "has no number"),
    "numerical_tilde_with_text": ("::q:: A {#\n=1\n~2#x}", 3, "'~' only introduces"),
    "numerical_without_full_marks": ("::q:: A {#=%50%1}", 1, "full marks"),
    "matching_one_pair": ("::q:: A {\n=a -> 1\n= -> 2\n}", 1, "at least 2 pairs"),
    "matching_pair_without_arrow": ("::q:: A {\n=a -> 1\n=b 2\n}", 3, "needs '->'"),
    "matching_pair_without_match": ("::q:: A {\n=a -> 1\n=b ->\n}", 3, "nothing after '->'"),
    "matching_pair_with_weight": ("::q:: A {\n=a -> 1\n=%50%b -> 2\n}", 3, "weight"),
    "matching_pair_with_feedback": ("::q:: A {\n=a -> 1 #x\n=b -> 2\n}", 2, "feedback"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_a_syntax_error_names_its_line_and_says_what_is_wrong(name):
    text, line, words = ERRORS[name]
    with pytest.raises(GiftError) as caught:
        parse(text)
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value) == f"line {line}: {caught.value.message}"


def test_error_line_counts_comments_and_blank_lines_before_it():
    with pytest.raises(GiftError) as caught:
        parse("// 1\n\n// 3\n::a:: ok {T}\n\n// 6\n::b:: sai {\n=1\n=x -> y\n}")
    assert caught.value.line == 8


def test_gift_error_is_a_value_error_with_line_and_message():
    error = GiftError(7, "unclosed brace")
    assert isinstance(error, ValueError)
    assert (error.line, error.message, str(error)) == (
        7,
        "unclosed brace",
        "line 7: unclosed brace",
    )


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_every_syntax_error_keeps_its_template_for_translation(name):
    text, _line, _words = ERRORS[name]
    with pytest.raises(GiftError) as caught:
        parse(text)
    error = caught.value
    assert error.template % error.params == error.message
    assert all(f"%({key})" in error.template for key in error.params)


# --- writing ------------------------------------------------------------------------------

CANONICAL = """\
$CATEGORY: Chuyển đổi số/Bước 1

::cds-01:: Chuyển đổi số bắt đầu từ đâu? {
    =Từ khách hàng và quy trình#Đúng: công nghệ phục vụ quy trình.
    ~%25%Từ một trang web#Một phần.
    ~Mua phần mềm đắt nhất#Chưa đúng.
    ####Ưu tiên việc lặp đi lặp lại.
}

::cds-02:: Chọn các kênh bán hàng trực tuyến: {
    ~%50%Zalo OA
    ~%50%Shopee
    ~%-100%Sổ tay giấy
}

::cds-03:: Dữ liệu khách hàng nên nằm ở một nơi. {
    TRUE#Nếu rải rác, không ai thấy toàn cảnh.#Chính xác.
}

::cds-04:: Viết tắt của "quản lý quan hệ khách hàng" là {
    =CRM
    =%50%C.R.M#Gần đúng.
} trong tiếng Anh.

::cds-05:: Tỉ lệ doanh thu trực tuyến (%) nếu 25 trên 100 đơn? {#
    =25:0.5#Đúng.
    =%50%20..30
    ~#Hãy chia 25 cho 100.
}

::cds-06:: Ghép công cụ với việc: {
    =MISA -> Kế toán
    =Haravan -> Bán hàng
    = -> Sản xuất
}

::cds-07:: [markdown]Mô tả **một** quy trình bạn muốn số hoá. {
    ####[html]<p>Không có đáp án đúng duy nhất.</p>
}

::cds-08:: Phần tiếp theo nói về dữ liệu.

$CATEGORY: Chuyển đổi số/Bước 2

::cds-09\\::: Tập \\{1, 2\\} có 2 phần tử. {
    TRUE
}
"""


def test_canonical_file_is_written_back_byte_for_byte():
    questions = parse(CANONICAL)
    assert [q.kind for q in questions] == [
        "single", "multi", "truefalse", "short", "numerical", "matching", "essay",
        "description", "truefalse",
    ]  # fmt: skip
    assert questions[-1].title == "cds-09:"
    assert dump(questions) == CANONICAL


def test_dump_writes_one_answer_per_line_and_blank_lines_between_questions():
    questions = [
        Question("a", "single", "Q?", (Answer("x", 1.0, "ok"), Answer("y"))),
        Question("b", "essay", "Viết"),
    ]
    assert dump(questions) == "::a:: Q? {\n    =x#ok\n    ~y\n}\n\n::b:: Viết {\n}\n"


def test_dump_of_nothing_is_empty():
    assert dump([]) == ""


def test_dump_escapes_only_what_would_be_misread():
    question = Question(
        "t:",
        "single",
        "Ví dụ: a = b # c {d}",
        (Answer("x = y ~ z # w", 1.0, "a: b"), Answer("{n}")),
        text_after=" tiếp: {e}",
    )
    assert dump([question]) == (
        "::t\\::: Ví dụ: a = b # c \\{d\\} {\n"
        "    =x \\= y \\~ z \\# w#a: b\n"
        "    ~\\{n\\}\n"
        "} tiếp: \\{e\\}\n"
    )


def test_dump_protects_texts_that_look_like_a_format_or_a_weight():
    question = Question(
        "",
        "single",
        "// không phải chú thích",
        (Answer("%50% doanh thu", 1.0), Answer("[html] chữ", 0.0, "[plain] x")),
    )
    text = dump([question])
    assert text.startswith("[moodle]// không phải chú thích {")
    assert "    =[moodle]%50% doanh thu\n" in text
    assert "    ~[moodle][html] chữ#[moodle][plain] x\n" in text
    assert parse(text) == [question]


def test_dump_writes_a_category_line_only_where_the_category_changes():
    questions = [
        Question("a", "truefalse", "x", tf(True), category="c"),
        Question("b", "truefalse", "y", tf(True), category="c"),
        Question("c", "truefalse", "z", tf(True), category=""),
    ]
    text = dump(questions)
    assert text.count("$CATEGORY:") == 2
    assert parse(text) == questions


INVALID = {
    "unknown_kind": Question("q", "cloze", "x"),
    "unknown_format": Question("q", "essay", "x", format="rtf"),
    "single_without_right_answer": Question("q", "single", "x", (Answer("a"), Answer("b"))),
    "single_without_wrong_answer": Question(
        "q", "single", "x", (Answer("a", 1.0), Answer("b", 1.0))
    ),
    "multi_weights_not_100": Question("q", "multi", "x", (Answer("a", 0.5), Answer("b"))),
    "short_with_arrow": Question("q", "short", "x", (Answer("a -> b", 1.0),)),
    "numerical_bad_number": Question("q", "numerical", "x", (Answer("abc", 1.0, tolerance=0.0),)),
    "numerical_spaced_range": Question("q", "numerical", "x", (Answer("1 .. 5", 1.0),)),
    "numerical_point_without_tolerance": Question("q", "numerical", "x", (Answer("5", 1.0),)),
    "numerical_range_with_tolerance": Question(
        "q", "numerical", "x", (Answer("1..5", 1.0, tolerance=1.0),)
    ),
    "matching_pair_with_feedback": Question(
        "q", "matching", "x", (Answer("a", 1.0, "fb", match="1"), Answer("c", 1.0, match="2"))
    ),
    "weight_out_of_range": Question("q", "single", "x", (Answer("a", 1.0), Answer("b", 1.5))),
    "essay_with_answers": Question("q", "essay", "x", (Answer("a", 1.0),)),
    "matching_item_with_arrow": Question(
        "q", "matching", "x", (Answer("a->b", 1.0, match="1"), Answer("c", 1.0, match="2"))
    ),
    "truefalse_wrong_answers": Question("q", "truefalse", "x", (Answer("yes", 1.0),)),
    "description_with_answers": Question("q", "description", "x", (Answer("a", 1.0),)),
    "category_on_two_lines": Question("q", "essay", "x", category="a\nb"),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_dump_refuses_a_question_it_cannot_write_and_read_back(name):
    assert validate(INVALID[name])
    with pytest.raises(ValueError, match="cannot write question"):
        dump([INVALID[name]])


def test_validate_finds_nothing_wrong_with_parsed_questions():
    for text, _expected in [*DOC_EXAMPLES.values(), *MOODLE_EXAMPLES.values()]:
        assert validate(one(text)) == []


# --- the round trip, as a property ---------------------------------------------------------

TOKENS = [
    "a", "B", "x", "7", " ", "  ", "\t", "\xa0", "\n", ".", "?", "'", '"', "%", "%50%", "[", "]",
    "[html]", "[markdown]", "-", ">", "->", "*", "/", "//", ":", "::", "~", "=", "#", "####",
    "{", "}", "\\", "\\n", "\\:", "$CATEGORY:", "..",
    "Chuyển", "đổi", "số", "khách hàng", "Đúng", "ư", "ơ", "ỹ", "ệ", "Ă",
]  # fmt: skip

texts = st.lists(st.sampled_from(TOKENS), max_size=6).map(lambda parts: "".join(parts).strip())
words = texts.filter(bool)
# Short answers and matching items cannot hold '->' (GIFT would read a matching pair).
arrowless_texts = texts.filter(lambda text: "->" not in text)
arrowless_words = words.filter(lambda text: "->" not in text)
fractions = st.sampled_from([0.0, -0.5, 0.25, 0.5, 0.3333333, -1.0, 0.1]) | st.floats(-1, 1)
numbers = st.integers(-(10**6), 10**6).map(str) | st.floats(
    allow_nan=False, allow_infinity=False
).map(repr)


def other_format(qformat):
    return st.sampled_from([None, *[f for f in FORMATS if f != qformat]])


@st.composite
def answers_with_text(draw, qformat, fraction, text=words, feedback=texts):
    return Answer(
        draw(text),
        fraction,
        draw(feedback),
        format=draw(other_format(qformat)),
        feedback_format=draw(other_format(qformat)),
    )


@st.composite
def choice_answers(draw, qformat, single):
    if single:
        count = draw(st.integers(2, 5))
        chosen = draw(st.lists(fractions, min_size=count, max_size=count))
        chosen[draw(st.integers(0, count - 1))] = 1.0
        assume(any(f != 1.0 for f in chosen))
    else:
        partitions = [[1.0], [0.5, 0.5], [0.25, 0.75], [0.3333333, 0.3333333, 0.3333334]]
        right = draw(st.sampled_from(partitions))
        penalties = st.sampled_from([0.0, -0.5, -1.0, -0.3333333])
        wrong = draw(st.lists(penalties, min_size=max(0, 2 - len(right)), max_size=3))
        chosen = draw(st.permutations(right + wrong))
    return tuple(draw(answers_with_text(qformat, f)) for f in chosen)


@st.composite
def numerical_answers(draw, qformat):
    answers = []
    for _ in range(draw(st.integers(1, 4))):
        form = draw(st.sampled_from(["point", "range", "any"]))
        if form == "point":
            text, tolerance = draw(numbers), draw(st.floats(0, 10**6) | st.just(0.0))
        elif form == "range":
            low, high = sorted([draw(numbers), draw(numbers)], key=float)
            text, tolerance = f"{low}..{high}", None
        else:
            text, tolerance = "*", None
        answers.append(
            Answer(
                text,
                draw(fractions),
                draw(texts),
                tolerance=tolerance,
                feedback_format=draw(other_format(qformat)),
            )
        )
    full = draw(st.integers(0, len(answers) - 1))
    answers[full] = replace(answers[full], fraction=1.0)
    return tuple(answers)


@st.composite
def matching_answers(draw, qformat):
    pairs = [
        Answer(draw(arrowless_words), 1.0, match=draw(words), format=draw(other_format(qformat)))
        for _ in range(draw(st.integers(2, 4)))
    ]
    distractors = [Answer("", 0.0, match=draw(words)) for _ in range(draw(st.integers(0, 2)))]
    return tuple(draw(st.permutations(pairs + distractors)))


@st.composite
def short_answers(draw, qformat):
    weights = [*draw(st.lists(fractions, max_size=3)), 1.0]
    chosen = draw(st.permutations(weights))
    return tuple(
        draw(answers_with_text(qformat, f, arrowless_words, arrowless_texts)) for f in chosen
    )


@st.composite
def truefalse_answers(draw, qformat):
    correct = draw(st.booleans())
    return tuple(
        Answer(
            text,
            float(correct == is_true),
            draw(texts),
            feedback_format=draw(other_format(qformat)),
        )
        for text, is_true in (("TRUE", True), ("FALSE", False))
    )


ANSWERS = {
    "single": lambda qformat: choice_answers(qformat, single=True),
    "multi": lambda qformat: choice_answers(qformat, single=False),
    "truefalse": truefalse_answers,
    "short": short_answers,
    "numerical": numerical_answers,
    "matching": matching_answers,
    "essay": lambda qformat: st.just(()),
    "description": lambda qformat: st.just(()),
}


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(KINDS))
    qformat = draw(st.sampled_from(FORMATS))
    has_braces = kind != "description"
    after = draw(st.sampled_from(["", " "])) + draw(texts) if has_braces else ""
    question = Question(
        title=draw(texts),
        kind=kind,
        text=draw(texts),
        answers=draw(ANSWERS[kind](qformat)),
        general_feedback=draw(texts) if has_braces else "",
        format=qformat,
        text_after=after if after.strip() else "",
        category=draw(st.sampled_from(["", "tom", "tom/dick", "Chuyển đổi số/Bước 1"])),
        general_feedback_format=draw(other_format(qformat)) if has_braces else None,
        idnumber=draw(st.sampled_from(["", "Q-7", "crm.2 [b]"])),
        tags=tuple(draw(st.lists(st.sampled_from(["crm", "bước 1", "a]b"]), max_size=2))),
    )
    assume(not validate(question))
    return question


@settings(max_examples=200, deadline=None)
@given(st.lists(questions(), min_size=1, max_size=4))
def test_parse_reads_back_exactly_what_dump_wrote(qs):
    text = dump(qs)
    assert parse(text) == qs
    assert dump(parse(text)) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_parse_either_reads_or_raises_gift_error_on_any_text(text):
    try:
        questions = parse(text)
    except GiftError as error:
        assert error.line >= 1
    else:
        assert all(q.kind in KINDS for q in questions)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_whatever_parse_reads_validate_accepts(text):
    try:
        questions = parse(text)
    except GiftError:
        return
    assert [validate(q) for q in questions] == [[] for _ in questions]


# --- edge cases other parsers' test suites exposed ------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("::q:: Which? {a->b}", 1, "a short answer cannot contain '->'"),
        ("::q:: How many?\n{#1:1e999}", 2, "the number 1e999 is too large"),
        ("::q:: How many? {#-1e999..1e999}", 1, "the number -1e999 is too large"),
        ("::q:: How many? {#5:1e400}", 1, "the number 1e400 is too large"),
        ("[html]", 1, "a description needs a title or a text"),
        ("\n\n   [markdown]  ", 3, "a description needs a title or a text"),
    ],
)
def test_what_could_not_be_written_back_is_refused_when_read(text, line, message):
    with pytest.raises(GiftError) as error:
        parse(text)
    assert error.value.line == line and error.value.message.startswith(message)


def test_a_byte_order_mark_at_the_start_of_any_line_is_whitespace():
    joined = "\ufeff::a:: A {T}\n\n\ufeff::b:: B {F}\n  \ufeff\n\ufeff// a comment\n"
    assert [(q.title, q.text) for q in parse(joined)] == [("a", "A"), ("b", "B")]


def test_moodle_id_numbers_and_tags_are_kept_and_written_back():
    text = "// [id:Q-7]\n// [tag:crm]\n//[tag: bước 1 ]\n::a:: A {T}\n\n// [id:x]\n\n::b:: B {F}"
    first, second = parse(text)
    assert (first.idnumber, first.tags) == ("Q-7", ("crm", "bước 1"))
    assert (second.idnumber, second.tags) == ("", ())  # a blank line keeps it off
    written = dump([first])
    assert written.startswith("// [id:Q-7]\n// [tag:crm]\n// [tag:bước 1]\n::a:: A {\n")
    assert parse(written) == [first]


def test_parse_each_reads_the_good_questions_around_a_bad_one():
    text = "::a:: A {T}\n\n::b:: B {=x}\n\n::c:: C {\n=1\n~2\n\n::d:: D {F}"
    items = parse_each(text)
    assert [type(item).__name__ for item in items] == [
        "Question",
        "Question",
        "GiftError",
        "Question",
    ]
    assert items[2].line == 5 and [items[0].title, items[3].title] == ["a", "d"]

"""Retrieved paragraphs -> a short answer made of cited sentences (offline, extractive).

Every sentence of the retrieved paragraphs is scored by how well it answers the
question: cosine similarity of its stored vector to the question's, plus how much of
the question's content (IDF-weighted terms, the document's own topic discounted) it
contains, plus a little for the rank of its paragraph. The best sentence is the answer;
a second one joins when it is nearly as good and adds content the first lacks, or comes
from another passage and is too close to call. When another document states the same fact
(a very similar sentence), it is cited too.

Abstention: when the best support is under ``Settings.min_support`` (calibrated on the
gold set, see README), or the question names a number the documents never contain,
the answer says so and lists the closest passages instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from bot.chunk import is_lead_in, key_value, list_item_body, question_asked, split_sentences, table_row, without_speaker
from bot.cite import focus_window, make_citation, shown, widen
from bot.followup import PERSON_PRONOUN, Resolved
from bot.retrieve import Corpus
from bot.store import Store
from bot.text import (
    NAME_TITLES,
    STOP_WORDS,
    Wanted,
    announced_count,
    asked_ordinal,
    asked_part,
    asks_forbidden,
    asks_publication,
    asks_reason_or_action,
    asks_which_document,
    chooses_what_does,
    continues,
    contrasted,
    countries_named,
    counts,
    defines,
    definition_asked,
    fits_type,
    fold,
    forbids,
    gives_a_person,
    gives_reason,
    goes_on_from,
    is_fragment,
    is_word,
    is_year,
    item_ordinal,
    list_request,
    mentions_a_name,
    months_named,
    named_phrases,
    negated,
    never_answers,
    opposes,
    predecessor_terms,
    replies_only,
    stem,
    terms,
    wanted,
    without_clause_number,
    without_predecessor,
    words,
)
from bot.types import Answer, Citation, Hit

NOT_FOUND = "I could not find this in the documents."
OFF_TOPIC = "I can only answer questions about the documents."

W_COSINE = 0.7
W_COVERAGE = 0.3
W_RANK = 0.05
#: Weight of the paragraph's own similarity to the question (context for the sentence).
W_PARAGRAPH = 0.2
#: Support lost per name in the question (a capitalised word) the documents never use.
UNKNOWN_NAME_PENALTY = 0.12
#: A second sentence joins the answer when it scores at least this share of the best.
SECOND_RATIO = 0.85
#: ... or, from another passage, scores this close to it (too close to call). Calibrated
#: on the gold set: 0.95 / 0.92 / 0.90 answer 2 / 3 / 3 more questions right, none fewer.
CLOSE_RATIO = 0.92
#: Sentences of another document this similar to the answer state the same fact.
SAME_FACT_COSINE = 0.72
SUGGESTIONS = 3
#: Support lost by a heading, byline or salutation (see ``text.is_fragment``).
FRAGMENT_PENALTY = 0.15
#: A real word of the question that no passage has counts, in the coverage that ranks
#: sentences, for this share of the mean weight of the words the documents do have.
#: Abstention does not count it (``Candidate.support``): 0.5 and 1.0 gained the same
#: three gold items and lost none; counting it for abstention too cost four.
UNMATCHED_SHARE = 0.5
#: Rank lost by a sentence of a paragraph that ends in a question: "Hundreds of
#: travellers have been stranded since the airline collapsed. What help ...?" sets out a
#: reporter's question, and the spokesperson's reply is the answer. Abstention still
#: counts it in full: "18 per cent" may be said only in the question.
PREMISE_PENALTY = 0.15
#: A typed question ("how many", "which country", "when") abstains when the best sentence
#: of that type scores under this share of the best sentence of any kind (see README).
TYPED_RATIO = 0.65
#: Support lost by a sentence saying something is not so, for "Which of the boats can take
#: a wheelchair?" (``text.chooses_what_does``).
NEGATED_PENALTY = 0.05
#: Support gained by a sentence defining the term a question asks defined ("What counts as
#: valuables?" -> "2.2 'Valuables' means jewellery, watches ..."; ``text.defines``) over
#: the sentences that only use the term.
DEFINITION_BONUS = 0.15
#: Support lost by a paragraph that opens with another person's name when a follow-up asks
#: about "his" or "her" something ("When are his office hours?" after "Dr Hesketh Varga":
#: not "Teaching assistant: Wilhelmina Tosh ... Office hours: Wednesdays ...").
OTHER_PERSON_PENALTY = 0.2
#: ... and support gained by a paragraph that names the person ("Instructor: Dr Hesketh
#: Varga ... Office hours: Tuesdays ...").
SAME_PERSON_BONUS = 0.15
#: Share of its weight a question term keeps in a sentence's coverage when it names the
#: document's topic (a term of its title, or an acronym of them).
TOPIC_WEIGHT = 0.25
#: Share of its weight a question term keeps when a list item holds it only through its
#: lead-in: every item of "Telemetry can be disabled in these ways:" is about disabling.
CONTEXT_WEIGHT = 0.5


@dataclass
class Candidate:
    hit: Hit
    rank: int
    text: str
    vector: Any
    cosine: float
    covered: frozenset[str]
    coverage: float
    score: float
    #: Can hold the kind of answer asked for ("how many" needs a number, "where" a place)
    #: and, for "what did NAME say", is NAME speaking (see ``speaker_ok``).
    eligible: bool = True
    #: A list item's lead-in ("The Main Branch is open"), see ``Corpus.context``; else "".
    context: str = ""
    #: What ``score`` lost to the question's unmatched words (see ``UNMATCHED_SHARE``).
    discount: float = 0.0
    #: Its passage is about what the question names (its names, figures and years).
    about: bool = True
    #: Its passage is about another year than the one asked (see ``_another_year``).
    elsewhen: bool = False

    @property
    def support(self) -> float:
        """The evidence abstention judges: the score with coverage taken over the words
        the documents have, as the threshold was calibrated."""
        return self.score + self.discount


class ExtractiveAnswerer:
    """Picks and cites the sentences that answer; abstains when support is weak."""

    mode = "extractive"

    def __init__(self, store: Store, min_support: float) -> None:
        self.store = store
        self.min_support = min_support
        # a list answer scores its question twice: its reduced form is embedded once; and
        # retrieval embeds the question without its documents' names (``Bot._retrieve``)
        self._embed = lru_cache(maxsize=256)(self._embed_text)

    def answer(self, resolved: Resolved, vector: Any, hits: list[Hit], corpus: Corpus) -> Answer:
        if not hits:
            return Answer(NOT_FOUND, False, [], self.mode)
        weights = {t: corpus.idf.get(t, 0.0) * w for t, w in corpus.query_terms(resolved.query).items()}
        # Only the sentences that ask set the answer kind and the name rules (see text.asked_part).
        asked = asked_part(resolved.question)
        demand = wanted(asked)
        kind = demand.kind
        if kind == "successor":
            # "Who took over from the Russians?": the answer need not name them again.
            demand = replace(demand, predecessor=predecessor_terms(asked, resolved.referent))
            resolved = replace(resolved, query=without_predecessor(resolved.query))
            vector = self._embed(corpus.spelled_out(resolved.query))
            weights = {t: corpus.idf.get(t, 0.0) * w for t, w in corpus.query_terms(resolved.query).items()}
        if kind == "person" and resolved.is_follow_up:
            # "Afghanistan. ..." + "Who was its president?": Afghanistan is no answer to who
            demand = replace(demand, countries=demand.countries | countries_named(resolved.query))
        if demand.known:
            # "Who is organising it?": the name asked for is not the one "it" stands for
            # (and "SCO" is not a name asked for when the documents spell it out)
            demand = replace(demand, known=demand.known | frozenset(_terms(resolved.query)) | frozenset(weights))
        step = next_step(resolved.after, corpus) if resolved.after else None
        if step is not None:
            # "What do I do after that?": the sentence after the previous answer's
            found = [c for c in self._candidates(asked, wanted(""), resolved, vector, [corpus.paragraph_hit(step[0])],
                                                 corpus, weights) if c.text == step[1]]
            if found:
                return self._compose(found[:1], found[:1], weights, None, corpus)
        candidates = self._candidates(asked, demand, resolved, vector, hits, corpus, weights)
        eligible = [c for c in candidates if c.eligible]
        if not eligible or unnamed_focus(demand, candidates[0]):
            return self.abstain(hits, candidates)
        # "Who took over from her?": a succession told in a paragraph that names her, though
        # the sentences about her own arrival score higher ("Her successor, George Abara, ...").
        succession = [c for c in eligible if demand.predecessor & set(_terms(c.hit.text))]
        if succession:
            eligible = succession + [c for c in eligible if c not in succession]
        best = eligible[0]
        # The most relevant sentences hold no answer of the kind asked ("Which countries
        # signed X?" where X's sentence names none); the best that does is about something
        # else. Datelines and list items added by rule are already scored by their
        # document's best sentence.
        # After a follow-up, the previous answer's own sentences ("Brantholm withheld its
        # signature from the memorandum") do not set the bar for "How many vessels will
        # be pooled under it?": the retrieval query holds the previous question.
        # When one of those holds an answer of the kind asked, it was given already and
        # stays ("... and how long was it?" after the sentence saying "fourteen-month").
        # So do the sentences the previous question was asked of ("The situation in
        # Afghanistan is related to regional security" for "Who was its president?").
        exchanged = resolved.given | (frozenset(terms(resolved.query)) - frozenset(terms(resolved.question))
                                      if resolved.is_follow_up else frozenset())
        rivals = [c.score for c in candidates if c.about and not (
            exchanged and _repeats(c.text, exchanged, corpus)
            and not demand.met_by(_typed(c.text, c.context), set(_terms(c.text))))]
        if (kind is not None and not succession and best.hit.retrieved
                and best.score < TYPED_RATIO * max(rivals, default=0.0)):
            return self.abstain(hits, candidates)
        # The passages most like the question give it for another year ("quota for 2038"
        # for "What was the quota in 2037?"), and the best one left does not name the year
        # asked (as a table row "| 2022 | ... | 987 |" does): the year asked is not covered.
        if (best.score < TYPED_RATIO * max((c.score for c in candidates if c.elsewhen), default=0.0)
                and not set(asked_years(asked)) & set(_terms(f"{best.hit.text} {best.context}"))):
            return self.abstain(hits, candidates)
        evidence = best.support
        if succession:
            # "His successor, Patricia Nolan, ..." is as relevant as its paragraph, whose
            # other sentences are about the predecessor asked of ("Dr. Quince led the school").
            evidence = max(c.support for c in candidates if c.hit.source == best.hit.source
                           and c.hit.paragraph == best.hit.paragraph)
        support = evidence - UNKNOWN_NAME_PENALTY * len(unknown_names(resolved.question, corpus))
        if support < self.min_support or unknown_numbers(resolved.question, corpus):
            return self.abstain(hits, candidates)
        listing = list_request(asked)
        members = whole_list(best, corpus)
        if resolved.next_items and item_ordinal(best.text) in resolved.next_items:
            chosen = owed_items(best, eligible, resolved.next_items)
        elif members:
            chosen = self._list_candidates(best, members, asked, demand, resolved, vector, corpus, weights)
        elif listing is not None and listing[0] is None and (whole := named_list(best, listing[1], corpus)):
            chosen = self._list_candidates(best, whole, asked, demand, resolved, vector, corpus, weights)
        elif listing is not None and (told := announced_items(best, candidates, corpus)):
            # "Alvenia will host three events. In June, ... In August, ... In November, ..."
            chosen = [best, *told]
        elif listing is not None and listing[1] & _named(best):
            chosen = list_items(best, eligible, *listing)
        elif asks_forbidden(asked) and forbids(best.text) and (best.hit.source, best.hit.paragraph) in corpus.lead_of:
            # "What isn't allowed on board?": every prohibition of the rules' list
            chosen = self._list_candidates(best, forbidden_items(best, corpus), asked, demand, resolved, vector,
                                           corpus, weights)
        else:
            second = None
            after = following(best, candidates, corpus)
            # The reason or the remedy comes next in the paragraph, not in another one; and
            # "The extension will contain eight rooms. It will also include ..." goes on.
            if after is not None and ((asks_reason_or_action(asked) and not gives_reason(best.text))
                                      or continues(after.text) or replies_only(best.text)):
                second = after
            # a reporter's or interviewer's question is followed by its reply's best sentence
            second = second or reply_to(best, eligible, corpus)
            # another succession is not this one's second half
            second = second or second_sentence(best, (succession or eligible)[1:], contrasted(asked), kind is None)
            if kind in DATED_KINDS:
                # "When was the summit held?": "November, 10" gets the dateline that gives its year
                second = second or dated_in_full(best, eligible)
            chosen = [best]
            before = (preceding(best, candidates, corpus)
                      if goes_on_from(best.text) and (kind is None or listing is not None) else None)
            if before is not None:
                # "Other long-running clubs include ...": the one before it begins the list
                chosen, second = [before, best], None
            if second is not None:
                # "Prices are set each April. The current prices are:" goes on in its list
                members = whole_list(second, corpus) if is_lead_in(second.text) else []
                chosen += (self._list_candidates(second, members, asked, demand, resolved, vector, corpus, weights)
                           if members else [second])
                if not members and following(second, candidates, corpus) is best:
                    chosen = [second, best]  # two sentences of one passage read in its order
        composed = self._compose(chosen, candidates, weights, kind, corpus)
        if asks_which_document(asked):
            # "Which of the two documents mentions Guterres?": the answer is a document
            named = " and ".join(dict.fromkeys(c.source for c in composed.citations))
            composed = replace(composed, answer=f"In {named}: {composed.answer}")
        return composed

    def _candidates(self, asked: str, demand: Wanted, resolved: Resolved, vector: Any, hits: list[Hit],
                    corpus: Corpus, weights: dict[str, float]) -> list[Candidate]:
        kind = demand.kind
        dated = kind in DATED_KINDS and not _FUTURE.search(asked)
        # "Who wrote the article?", "When was it published?": asked of the document itself
        about_document = kind == "author" or (dated and asks_publication(asked))
        if about_document:
            lines = header_lines(hits, corpus, asked, "date" if dated else "author")
        else:
            lines = datelines(hits, corpus, kind) if dated and kind is not None else []
        retrieved = {(h.source, h.paragraph) for h in hits}
        hits = hits + [h for h in lines if (h.source, h.paragraph) not in retrieved]
        ordinal, alone = asked_ordinal(asked) or ("", False)
        # "And the other two?" after "First, ... Second, ...": the items still owed.
        owed = resolved.next_items or ((ordinal,) if ordinal else ())
        alone = alone or bool(resolved.next_items)
        for item in owed:
            hits = hits + enumerated_items(hits, corpus, item)
        per_hit = [(rank, hit, corpus.sentences_of((hit.source, hit.paragraph))) for rank, hit in enumerate(hits)]
        ids = [sid for _, _, sentences in per_hit for sid, _ in sentences]
        vectors = self.store.sentence_vectors(ids) if ids else {}
        # The document's own topic ("SCO" in a report on the SCO) says little about which
        # of its sentences answers: those terms count for TOPIC_WEIGHT of their weight.
        # ... and a name the question gives to one document's topic says as little in
        # another that mentions it ("Ferrowick Amateur Rowing Club" in a profile's fact box)
        named_topic = corpus.named_topics(resolved.query)
        topical = {source: _topical(weights, corpus, source, named_topic)
                   for source in dict.fromkeys(h.source for h in hits)}
        totals = {source: sum(w.values()) or 1.0 for source, w in topical.items()}
        # Words no passage has still belong to the question: a sentence holding its one
        # matched word ("goods" -> "good") does not cover all of "What arrangements did Xi
        # suggest for moving travellers and goods so that businesses could restart?".
        unmatched = UNMATCHED_SHARE * len(corpus.unmatched(resolved.query)) * (
            sum(weights.values()) / len(weights) if weights else 0.0)
        kept = {source: total / (total + unmatched) for source, total in totals.items()}
        q = np.asarray(vector, dtype=np.float32)
        unnamed = self._unnamed_vectors(resolved.query, [h.source for h in hits], corpus)
        speakers = asked_speakers(asked, resolved.referent)
        # a report that has the speaker say something somewhere (see ``speaker_ok``); not
        # the speaker's own text ("Opening Address by President ... of Alvenia"), every
        # sentence of which is theirs even where it names them ("Alvenia offers to host ...")
        reported = {source: bool(speakers) and not own_words(corpus.title(source)) and corpus.any_paragraph(
            source, lambda text: voices(text, speakers), ("voices", *speakers)) for source in topical}
        names = named_phrases(asked)
        # ... and a code held by one or two paragraphs ("error E3") is answered only there
        figures = asked_figures(asked) | resolved.figures | frozenset(corpus.rare_codes(resolved.query))
        localised = kind in QUANTITY_KINDS | DATED_KINDS
        years_asked = asked_years(asked)
        years = years_asked if localised else []
        anchors = [frozenset([y]) for y in years] + [frozenset(n) for n in names] if localised else []
        # "its March meeting": not a paragraph about the April one, when the document has March
        # elsewhere (a month only picks the paragraph: "The balance stood at £23,418.67"
        # after "... the period to 29 February 2024" still answers for February)
        periods = years + months_named(asked) if localised else []
        own = frozenset(terms(resolved.question))
        affirmative = chooses_what_does(asked)
        defined = definition_asked(asked)
        whose = referent_names(asked, resolved.referent)
        # the question's own terms as the documents spell them ("minimun" -> "minimum")
        asked_terms = own | (frozenset(weights) if not resolved.is_follow_up else frozenset())
        # what the question asks of, beyond what it sets aside
        rest = {t: w for t, w in weights.items() if t in own and t not in resolved.besides}
        # Which passages name the person "his" / "her" stands for, and which open with
        # another's name; only in a document that has both: in a biography most paragraphs
        # about its subject say "she" and few name her.
        naming = {rank: bool(whose & set(words(hit.text))) for rank, hit, _ in per_hit} if whose else {}
        other = {rank: opens_with_another_person(hit.text, whose) for rank, hit, _ in per_hit} if whose else {}
        people = ({hit.source for rank, hit, _ in per_hit if other[rank]}
                  & {hit.source for rank, hit, _ in per_hit if naming[rank]}) if whose else set()
        out: list[Candidate] = []
        for rank, hit, sentences in per_hit:
            # A question naming something ("the Friendship Forum") is answered only by a
            # paragraph about it, or in a document whose title names it.
            # A list item says what it says in its lead-in's context ("The Main Branch is open:").
            context_text = corpus.contexts.get((hit.source, hit.paragraph), "")
            # ... and a fact box's row in its "Name" row's ("Her coffee | A double ristretto")
            if (hit.source, hit.paragraph) in corpus.subjects:
                context_text = f"{corpus.subjects[(hit.source, hit.paragraph)]} {context_text}".strip()
            context = set(_terms(context_text))
            about = mentions_a_name(set(_terms(hit.text)) | set(_terms(corpus.title(hit.source))) | context, names,
                                    hit.text)
            passage = " ".join((hit.text, context_text, corpus.title(hit.source)))
            # "When is 4.0 coming out?" is not answered by a passage about 3.0.0
            about = about and figures <= set(words(passage))
            # "How many chicks did they ring in 2024?": not a paragraph about another year
            # when the document gives that year elsewhere
            named = set(_terms(passage))
            about = about and all(year in named or not corpus.mentions(hit.source, year)
                                  for year in periods)
            # any question: "What was Alvenia's quota in 2037?" is not answered by a passage
            # about another year ("Sardel quota for 2038") when the document gives 2037
            # elsewhere; a passage that names no year may still be about it
            elsewhen = _another_year(named, years_asked, hit.source, corpus)
            about = about and not elsewhen
            off_anchor = unanchored([text for _, text in sentences], anchors)
            # "How much is a child return?": not "Child single: £1.60" when another fare says "return"
            off_list = localised and not lookup_matches(hit, weights, corpus, asked)
            quoted_here = not reported[hit.source] or voices(hit.text, speakers)
            # A turn that ends in a question (a reporter's, an interviewer's, an FAQ's)
            # sets out what it asks about; the answer is in the turn that replies.
            asks_back = question_asked(hit.text) is not None
            named_here = hit.source in people and naming[rank]
            someone_else = hit.source in people and not named_here and other[rank]
            for i, (sid, text) in enumerate(sentences):
                if (never_answers(text, kind) or _already_given(text, resolved, own, demand, corpus)
                        or text in resolved.taken or (resolved.besides and beside_only(text, resolved.besides, rest))):
                    continue
                vec = vectors.get(sid)
                if vec is None:
                    continue
                vec = np.asarray(vec, dtype=np.float32)
                cosine = float(vec @ q)
                if hit.source in unnamed:
                    cosine = (1 - UNNAMED_COSINE) * cosine + UNNAMED_COSINE * float(vec @ unnamed[hit.source])
                own_terms = set(_terms(text))
                covered = frozenset(t for t in weights if t in own_terms or t in context)
                coverage = sum(topical[hit.source][t] * (1.0 if t in own_terms else CONTEXT_WEIGHT)
                               for t in covered) / totals[hit.source]
                present = own_terms | context
                discount = W_COVERAGE * coverage * (1 - kept[hit.source])
                score = (W_COSINE * cosine + W_COVERAGE * coverage - discount + W_RANK / (1 + rank)
                         + W_PARAGRAPH * (hit.dense_similarity or 0.0))
                # Each rule: see the README's "Abstention" section.
                # a row that only gives back the question's words is evidence, no answer
                eligible = (about and not off_list and i not in off_anchor and not gives_back(text, own)
                            and demand.met_by(_typed(text, context_text), present)
                            and not (localised and _figures_given(text, resolved.given))
                            and speaker_ok(text, speakers, corpus.title(hit.source), quoted_here)
                            and not opposes(asked_terms, own_terms | context))
                # A heading is seldom an answer, unless it holds the kind asked for
                # ("Version 3.0.0 (released 2025-01-20)" for "When did 3.0.0 come out?");
                # any number fits a bare "when" ("the 20th meeting"), so that one does not count,
                # nor do a heading's capitalised words for "who" ("CONSTITUTION AND RULES").
                if affirmative and negated(text):
                    score -= NEGATED_PENALTY
                if defined and defines(text, defined):
                    score += DEFINITION_BONUS
                label = label_terms(text)
                if label:
                    score += W_LABEL * sum(topical[hit.source][t] for t in label if t in weights) / totals[hit.source]
                if someone_else:
                    score -= OTHER_PERSON_PENALTY
                elif named_here:
                    score += SAME_PERSON_BONUS
                if is_fragment(text) and not (kind not in (None, "time", "person") and eligible):
                    score -= FRAGMENT_PENALTY
                if asks_back:  # ranks lower, but is as much evidence as before
                    score -= PREMISE_PENALTY
                    discount += PREMISE_PENALTY
                out.append(Candidate(hit, rank, text, vec, cosine, covered, coverage, score, eligible,
                                     context_text, discount, about, elsewhen))
        if lines or owed:
            # A dateline, or the enumerated item asked for ("Second, ..."), is as good
            # evidence as its document's best sentence is relevant.
            # (score, discount) of each document's best retrieved sentence: a sentence
            # scored from another takes its discount too, so its support is that one's
            best_of: dict[str, tuple[float, float]] = {}
            for c in out:
                if c.hit.retrieved and c.score > best_of.get(c.hit.source, (-1.0, 0.0))[0]:
                    best_of[c.hit.source] = (c.score, c.discount)
            top = max(best_of.values(), default=(0.0, 0.0))
            dated_keys = {(h.source, h.paragraph) for h in lines}  # a byline may also be a retrieved hit
            for c in out:
                if c.hit.source not in best_of:
                    continue
                if item_ordinal(c.text) in owed:
                    # "And the second?" can only mean an item of a list; "the second
                    # meeting" may not. Several lists may have a second item: the more
                    # relevant one wins.
                    floor = top if alone else best_of[c.hit.source]
                    earlier = c.score
                    if floor[0] > earlier:
                        c.score, c.discount = floor
                    c.score += ORDINAL_MARGIN * (1 + earlier)
                elif (c.hit.source, c.hit.paragraph) in dated_keys and about_document:
                    # the credit or date line of the document asked about outranks "written
                    # by" or a date in another passage ("A letter ... was written by the mayor")
                    c.score, c.discount = top[0] + HEADER_MARGIN, top[1]
                elif (c.hit.source, c.hit.paragraph) in dated_keys:
                    best, discount = best_of[c.hit.source]
                    c.score, c.discount = best - DATELINE_DISCOUNT, discount
        out.sort(key=lambda c: -c.score)
        return out

    def _unnamed_vectors(self, query: str, sources: list[str], corpus: Corpus) -> dict[str, np.ndarray]:
        """Per document, the embedding of the question without the names its title holds
        (see ``Corpus.unnamed_queries``), where that changes the question."""
        wanted = set(sources)
        return {source: self.embed(corpus.spelled_out(kept)) for kept, named in corpus.unnamed_queries(query).items()
                for source in named if source in wanted}

    def embed(self, text: str) -> np.ndarray:
        """The embedding of ``text``, memoised (for a question's variants, which several
        stages embed)."""
        return self._embed(text)

    def _embed_text(self, text: str) -> np.ndarray:
        return np.asarray(self.store.embedder.embed_batch([text])[0], dtype=np.float32)

    def _list_candidates(self, best: Candidate, members: list[tuple[str, int]], asked: str, demand: Wanted,
                         resolved: Resolved, vector: Any, corpus: Corpus,
                         weights: dict[str, float]) -> list[Candidate]:
        """A list as an answer: its lead-in sentence (the one ending with a colon), then the
        first sentence of each item, in document order."""
        hits = [best.hit if key == (best.hit.source, best.hit.paragraph) else corpus.paragraph_hit(key)
                for key in members]
        scored = self._candidates(asked, demand, resolved, vector, hits, corpus, weights)
        chosen: list[Candidate] = []
        for hit in hits:
            sentences = [c for c in scored if c.hit is hit]
            sentences.sort(key=lambda c: hit.text.find(c.text))
            if list_item_body(hit.text) is None:  # the lead-in: its last sentence leads in
                sentences = [c for c in sentences if is_lead_in(c.text)]
            chosen.extend(sentences[:1])
        return chosen or [best]

    def _compose(self, chosen: list[Candidate], candidates: list[Candidate], weights: dict[str, float],
                 kind: str | None, corpus: Corpus) -> Answer:
        citations: list[Citation] = []
        parts: list[str] = []
        for c in chosen:
            c = _from_item_start(c)
            quote = focus_window(c.text, _off_topic(weights, corpus, c.hit.source), kind)
            marks = [self._cite(citations, c, quote)]
            same = self._same_fact_elsewhere(c, candidates)
            if same is not None:
                window = focus_window(same.text, _off_topic(weights, corpus, same.hit.source), kind)
                marks.append(self._cite(citations, same, window))
            parts.append(f"{_shown(c, quote)} " + " ".join(f"[{m}]" for m in dict.fromkeys(marks)))
        return Answer(" ".join(parts), True, citations, self.mode)

    @staticmethod
    def _cite(citations: list[Citation], c: Candidate, quote: str) -> int:
        """The marker of ``c``'s citation: a new one, or the one its paragraph already has
        (two items of one list share their list's), its quote widened to hold both."""
        new = make_citation(c.hit, quote)
        for n, existing in enumerate(citations, 1):
            if (existing.source, existing.paragraph) == (new.source, new.paragraph):
                citations[n - 1] = widen(existing, new.quote)
                return n
        citations.append(new)
        return len(citations)

    @staticmethod
    def _same_fact_elsewhere(c: Candidate, candidates: list[Candidate]) -> Candidate | None:
        others = [o for o in candidates if o.hit.source != c.hit.source and o.score > 0.5 * c.score]
        if not others:
            return None
        best = max(others, key=lambda o: float(o.vector @ c.vector))
        similarity = float(best.vector @ c.vector)
        # The same fact: a near-paraphrase, or a close sentence that answers nearly as well.
        if similarity >= SAME_FACT_COSINE or (similarity >= 0.6 and best.score >= SECOND_RATIO * c.score):
            return best
        return None

    def abstain(self, hits: list[Hit], candidates: Sequence[Candidate] = ()) -> Answer:
        """``answered=False`` with the closest passages as suggestions."""
        citations: list[Citation] = []
        for hit in hits:
            if len(citations) == SUGGESTIONS:
                break
            sentence = next((c.text for c in candidates if c.hit is hit), None)
            citation = make_citation(hit, sentence or hit.chunk_text or hit.text)
            if all((c.source, c.paragraph) != (citation.source, citation.paragraph) for c in citations):
                citations.append(citation)
        listing = "; ".join(f"[{n}] {c.source} ¶{c.paragraph}" for n, c in enumerate(citations, 1))
        text = f"{NOT_FOUND} The closest passages are {listing}." if citations else NOT_FOUND
        return Answer(text, False, citations, self.mode)


def unnamed_focus(demand: Wanted, top: Candidate) -> bool:
    """Whether the most relevant sentence speaks of what a name (or a person's country) is
    asked for and does not give it ("She was taught at home by a governess ..." for "What
    was the name of her governess?"): the documents know of her, not her name, and a name
    elsewhere is another's."""
    return demand.kind in ("name", "country") and demand.focus is not None and not top.eligible and (
        demand.focus in _terms(top.text))


def second_sentence(best: Candidate, others: list[Candidate], contrast: frozenset[str] = frozenset(),
                    open_question: bool = False) -> Candidate | None:
    """The sentence that joins the best one in the answer, if any: nearly as good
    (``SECOND_RATIO``) and adding question terms the best lacks, or from another passage
    and too close to call (``CLOSE_RATIO``): then the reader gets both. For an open
    question ("What did Xi say about traditional medicine?") a sentence of the same passage
    that close joins too: the passage says two things about it. The other side of
    what the question sets side by side (``contrast``: "in autumn vs in spring") needs
    only ``CONTRAST_RATIO``."""
    other_side = next((c for c in others if contrast & (c.covered - best.covered)
                       and c.score >= CONTRAST_RATIO * best.score), None)
    if other_side is not None:
        return other_side
    for c in others:
        if c.score < SECOND_RATIO * best.score:
            return None
        if c.text == best.text:
            continue
        other_passage = (c.hit.source, c.hit.paragraph) != (best.hit.source, best.hit.paragraph)
        if c.covered - best.covered or ((other_passage or open_question) and c.score >= CLOSE_RATIO * best.score):
            return c
    return None


#: The sentence with the other side of a contrast ("autumn vs spring") joins the answer
#: when it scores at least this share of the best.
CONTRAST_RATIO = 0.7
#: A list answer gathers at most this many items when the question gives no count.
LIST_MAX = 3
#: ... each scoring at least this share of the best (a lower share when the question
#: says how many it wants: "What four communities ...?").
LIST_RATIO = 0.7
LIST_RATIO_COUNTED = 0.5
#: Two items this similar say the same thing.
LIST_SAME_COSINE = 0.92
#: How far the enumerated item a question asks for ("the second proposal" -> "Second,
#: maintain security ...") scores above its document's best sentence (times 1 + its own score).
ORDINAL_MARGIN = 0.05


def list_items(best: Candidate, eligible: list[Candidate], count: int | None,
               heads: frozenset[str]) -> list[Candidate]:
    """The sentences answering a question that asks for several things: the best one,
    then parallel ones naming the same thing ("Third, ... build a development
    community", "Fourth, ... build a humanistic community"), in document order. When
    the best sentence is an item of an enumeration ("Third, ..."), the other items of it
    (in the same document, naming the same thing) belong to the answer whatever their
    score, and come first. A best sentence that itself counts the things ("the four
    communities") is the whole list."""
    if count is not None and any(counts(best.text, head) for head in heads):
        return [best]
    limit = count or LIST_MAX
    floor = (LIST_RATIO_COUNTED if count else LIST_RATIO) * best.score
    named = [c for c in eligible[1:] if heads & _named(c)]
    pool = [c for c in named if c.score >= floor]
    siblings: list[Candidate] = []
    if item_ordinal(best.text) or best.context:
        # the other items of the same enumeration ("Third, ...") or Markdown list
        siblings = [c for c in named if c.hit.source == best.hit.source
                    and (c.context == best.context if best.context else bool(item_ordinal(c.text)))]
        pool = siblings + [c for c in pool if c not in siblings]
    if best.context and count is None:  # the document says how many items its list has
        limit = min(max(limit, len(siblings) + 1), LIST_ITEMS_MAX)
    items = [best]
    for c in pool:
        if len(items) >= limit:
            break
        # items of one Markdown list are distinct, however alike their lead-in makes them
        alike = c not in siblings or not best.context
        if any(c.text == i.text or (alike and float(c.vector @ i.vector) >= LIST_SAME_COSINE) for i in items):
            continue
        items.append(c)
    return sorted(items, key=lambda c: (c.hit.source, c.hit.paragraph, c.hit.text.find(c.text)))


def forbidden_items(best: Candidate, corpus: Corpus) -> list[tuple[str, int]]:
    """The items of the best sentence's list that forbid something ("- Glass bottles are not
    permitted on board.", "- No smoking ..."), the best one's among them, in document
    order; at most LIST_ITEMS_MAX. Items that only require ("Passengers must remain
    seated") are left."""
    source, paragraph = best.hit.source, best.hit.paragraph
    others = [n for n in corpus.lists.get((source, corpus.lead_of[(source, paragraph)]), [])
              if n != paragraph and forbids(corpus.paragraph_text[(source, n)])]
    return [(source, n) for n in sorted([paragraph, *others[:LIST_ITEMS_MAX - 1]])]


def following(c: Candidate, candidates: list[Candidate], corpus: Corpus) -> Candidate | None:
    """The sentence right after ``c`` in its paragraph, if it is a candidate: the reason
    or the remedy that a "why" or "what do I do" question wants often comes next."""
    return _beside(c, candidates, corpus, 1)


def preceding(c: Candidate, candidates: list[Candidate], corpus: Corpus) -> Candidate | None:
    """The sentence right before ``c`` in its paragraph, if it is a candidate."""
    return _beside(c, candidates, corpus, -1)


def _beside(c: Candidate, candidates: list[Candidate], corpus: Corpus, step: int) -> Candidate | None:
    key = (c.hit.source, c.hit.paragraph)
    sentences = [t for _, t in corpus.sentences_of(key)]
    at = sentences.index(c.text) + step if c.text in sentences else -1
    if not 0 <= at < len(sentences):
        return None
    return next((o for o in candidates if o.text == sentences[at] and (o.hit.source, o.hit.paragraph) == key), None)


def announced_items(c: Candidate, candidates: list[Candidate], corpus: Corpus) -> list[Candidate]:
    """The sentences after ``c`` in its paragraph that give what it announces ("... will
    host three events."), one per thing counted; [] unless ``c`` announces some and its
    paragraph goes on with that many sentences."""
    count = announced_count(c.text)
    told: list[Candidate] = []
    at = c
    for _ in range(count or 0):
        nxt = following(at, candidates, corpus)
        if nxt is None:
            return []
        told.append(nxt)
        at = nxt
    return told


def sentence_after(corpus: Corpus, key: tuple[str, int], i: int,
                   next_paragraph: bool) -> tuple[tuple[str, int], str] | None:
    """The sentence after sentence ``i`` of paragraph ``key``: the rest of the paragraph,
    else (``next_paragraph``) the next paragraph's first sentence, unless a heading ends
    the section there."""
    sentences = corpus.sentences_of(key)
    if i + 1 < len(sentences):
        return key, sentences[i + 1][1]
    nxt = (key[0], key[1] + 1)
    if not next_paragraph or nxt not in corpus.paragraph_text or corpus.heading.get(nxt, False):
        return None
    first = corpus.sentences_of(nxt)
    return (nxt, first[0][1]) if first else None


#: The previous answer's sentence is the document sentence sharing at least this share
#: of their IDF-weighted terms (Dice): a quote matches ~1, a paraphrase ("Insert them
#: blue, green, then white ...") well over half ...
STEP_MATCH = 0.5
#: ... among the paragraphs BM25 ranks best for it.
STEP_PARAGRAPHS = 5


def next_step(after: str, corpus: Corpus) -> tuple[tuple[str, int], str] | None:
    """The sentence that follows ``after`` (the previous answer's last sentence, quoted or
    paraphrased) in its document (see ``sentence_after``). None when no sentence of the
    documents is close enough to ``after``."""
    said = set(_terms(after))
    weight = sum(corpus.idf.get(t, 0.0) for t in said)
    best: tuple[float, tuple[str, int], int] | None = None
    for n, _ in corpus.bm25({t: 1.0 for t in said if t in corpus.postings}, STEP_PARAGRAPHS):
        chunk = corpus.chunks[n]
        key = (chunk.source, chunk.paragraph)
        for i, (_, text) in enumerate(corpus.sentences_of(key)):
            own = set(_terms(text))
            total = weight + sum(corpus.idf.get(t, 0.0) for t in own)
            match = 2 * sum(corpus.idf.get(t, 0.0) for t in own & said) / total if total else 0.0
            if best is None or match > best[0]:
                best = (match, key, i)
    if best is None or best[0] < STEP_MATCH:
        return None
    return sentence_after(corpus, best[1], best[2], next_paragraph=True)


#: A list given whole as an answer stops after this many items.
LIST_ITEMS_MAX = 8


def whole_list(best: Candidate, corpus: Corpus) -> list[tuple[str, int]]:
    """The paragraphs of a list (its lead-in, then its items) when the best sentence
    stands for the whole of it: a lead-in ("The Main Branch is open:"), or an item that
    holds no word of the question itself, matching only by its lead-in's words ("What
    is in the box?" -> "- One filter head ..." under "## What is in the box"). Else []."""
    key = (best.hit.source, best.hit.paragraph)
    if key in corpus.lists and is_lead_in(best.text):
        lead = key
    elif key in corpus.lead_of and best.covered and not best.covered & set(_terms(best.text)):
        lead = (key[0], corpus.lead_of[key])
    else:
        return []
    return list_members(lead, corpus)


def list_members(lead: tuple[str, int], corpus: Corpus) -> list[tuple[str, int]]:
    """A list's lead-in (unless it is only a heading) and its items, as paragraph keys."""
    items = [(lead[0], n) for n in corpus.lists[lead][:LIST_ITEMS_MAX]]
    return ([] if is_fragment(corpus.paragraph_text[lead]) else [lead]) + items


def named_list(best: Candidate, heads: frozenset[str], corpus: Corpus) -> list[tuple[str, int]]:
    """The whole list the best sentence is an item of, when its lead-in names what the
    question asks for ("What farm products ...?" and "The main products are:"): every
    item is one, retrieved or not. Else []."""
    key = (best.hit.source, best.hit.paragraph)
    lead = corpus.lead_of.get(key)
    if lead is None or not heads & set(_terms(corpus.contexts.get(key, ""))):
        return []
    return list_members((key[0], lead), corpus)


def _named(c: Candidate) -> set[str]:
    """The terms a candidate names: its own, and the question terms its list's lead-in holds."""
    return set(_terms(c.text)) | c.covered


def owed_items(best: Candidate, eligible: list[Candidate], owed: tuple[str, ...]) -> list[Candidate]:
    """The enumerated items a follow-up asks for ("And the other two?" -> "Third, ...",
    "Fourth, ..."): the best sentence opening each, from the best one's document, in order."""
    same_document = [c for c in eligible if c.hit.source == best.hit.source]  # best first: it leads ``eligible``
    items = (next((c for c in same_document if item_ordinal(c.text) == ordinal), None) for ordinal in owed)
    return [c for c in items if c is not None]


#: A sentence whose IDF-weighted terms are at least this much in the previous answer
#: repeats it, when the user asked for something "other".
REPEAT_SHARE = 0.5


def _from_item_start(c: Candidate) -> Candidate:
    """A list item's later sentence, quoted from the item's start: "Unplug the unit and
    contact customer care." says nothing without "- E02 or HHH: the sensor is faulty."."""
    if list_item_body(c.hit.text) is None:
        return c
    at = c.hit.text.find(c.text)
    if at <= 0:
        return c
    return replace(c, text=c.hit.text[:at + len(c.text)])


def _shown(c: Candidate, quote: str) -> str:
    """A quote as the answer shows it; a table row cell by cell after its column names
    ("Ticket: Child; Price: £4.50; Notes: Ages 5 to 16"), the citation keeping the row."""
    row = table_row(quote, c.context) if quote == c.text else None
    return row or shown(c.text, quote)


def reply_to(best: Candidate, eligible: list[Candidate], corpus: Corpus) -> Candidate | None:
    """When the best sentence sets out a question (its paragraph ends in one: a
    reporter's "Hundreds of travellers have been stranded ... What is the ministry doing
    for them?"), the best eligible sentence of the reply that follows it; else None."""
    if question_asked(best.hit.text) is None:
        return None
    # the next paragraph is read in the question's context only when it replies to it
    reply = (best.hit.source, best.hit.paragraph + 1)
    if not corpus.contexts.get(reply):
        return None
    return next((c for c in eligible if (c.hit.source, c.hit.paragraph) == reply), None)


def _typed(text: str, context: str) -> str:
    """A sentence as its answer kind is checked: a table row after its column names
    ("Year: 2022; Written complaints: 987"), a transcript's turn without its speaker label."""
    # "5.1 The Annual General Meeting shall ...": the clause's number is no figure it gives
    return without_clause_number(without_speaker(table_row(text, context) or text))


def _already_given(text: str, resolved: Resolved, own: frozenset[str], demand: Wanted, corpus: Corpus) -> bool:
    """Whether a sentence repeats the previous answer: always skipped when the user asks
    for something "other"; after any other follow-up, unless it answers a detail of it:
    it holds a word of the question ("Which country is he president of?") or the kind of
    answer asked for ("When will it be held?"). "So what should we do?" wants what comes
    next, not the same sentence again."""
    if not resolved.given:
        return False
    # "Did he score again?" after "Cardew, with a low shot in the 27th minute": the sentence
    # holding every figure of the previous answer tells the same event, however long it is
    figures = _figures(resolved.given)
    if resolved.asks_other and figures and figures <= set(_terms(text)):
        return True
    if not _repeats(text, resolved.given, corpus):
        return False
    # a name counts as a detail only if the previous answer did not give it already
    known = demand.known | own | resolved.given
    detail = bool(own & set(_terms(text))) or (demand.kind is not None and fits_type(text, demand.kind, known=known))
    return resolved.asks_other or not detail


def _figures_given(text: str, given: frozenset[str]) -> bool:
    """Whether every figure of a sentence is one the previous answer gave already
    (``given``, its terms): "In the 1840s the landlady ..." holds no answer to "When did
    the place close down?" after an answer that said "in the 1840s"."""
    figures = _figures(_terms(text))
    return bool(figures) and figures <= given


def _figures(terms_: Iterable[str]) -> set[str]:
    """The terms that are figures ("1840s", "27th", "2024")."""
    return {t for t in terms_ if any(ch.isdigit() for ch in t)}


def _repeats(text: str, previous: frozenset[str], corpus: Corpus) -> bool:
    own = set(_terms(text))
    total = sum(corpus.idf.get(t, 0.0) for t in own)
    shared = sum(corpus.idf.get(t, 0.0) for t in own & previous)
    return total > 0 and shared / total >= REPEAT_SHARE


@lru_cache(maxsize=50_000)
def _terms(text: str) -> tuple[str, ...]:
    """Terms of a sentence; cached because the same paragraphs are scored again and again."""
    return tuple(terms(text))


_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z]+)\b")


def unknown_names(question: str, corpus: Corpus) -> list[str]:
    """Capitalised words (not first in a sentence) that the documents never contain."""
    out = []
    for match in _CAPITALISED.finditer(question.strip()):
        word = match.group(1)
        if not corpus.query_terms(word):
            out.append(word)
    return out


_SAYING = (r"(?i:say|said|tell|told|propose|announce|suggest|stress|emphasi[sz]e|pledge|promise|call|urge|note|"
           r"argue|claim|state|declare|mention|think|believe|want|offer|ask|speak|talk|message|remark|statement|speech)")
#: Verbs that report words only ("What mechanism did Beijing want?" asks no one's words).
_REPORTING = (r"(?i:say|said|tell|told|propose|announce|suggest|stress|emphasi[sz]e|pledge|promise|declare|"
              r"mention|remark)")
#: A name, perhaps with a role in lower case inside it ("UN chief Guterres").
_WHO_NAME = (r"(?P<who>(?:the )?[A-Z][\w.’'-]*(?:\s+(?:[A-Z][\w.’'-]*|chief|head|boss|spokes(?:man|woman|person)))*)"
             r"(?:'s|’s)?\s+")
_ASKS_SPEAKER = re.compile(rf"\b(?i:what (?:did|does|do|has|have|will|would|was|is)) {_WHO_NAME}{_SAYING}")
#: "What priorities did NAME announce?": a noun between "what" and the verb.
_ASKS_SPEAKER_THING = re.compile(rf"\b(?i:what [a-z]+ (?:did|does|do|has|have|will|would)) {_WHO_NAME}{_REPORTING}")
#: Share of the rest of a question's weighted terms that keeps a sentence naming what the
#: question sets aside ("Besides the Belt and Road, which regional cooperation initiative
#: ... integration with countries' development strategies?") among its answers.
BESIDES_KEPT = 0.6


def beside_only(text: str, aside: frozenset[str], rest: dict[str, float]) -> bool:
    """Whether a sentence is about what the question sets aside ("Besides the digital
    economy forum, what other forum ...?"): it holds all of it and little else the
    question asks of."""
    held = set(_terms(text))
    if not aside <= held:
        return False
    total = sum(rest.values())
    return not total or sum(w for t, w in rest.items() if t in held) < BESIDES_KEPT * total


#: Weight of the share of a question's terms that a sentence's opening label holds
#: ("**Common** (may affect up to 1 in 10 people): headache, ..." for "Which side effects
#: are common?"; "Office hours: ..."): a label says what the rest is, more than a word in passing.
W_LABEL = 0.3
LABEL_WORDS = 4
#: A sentence's opening label: bold, or a few words before a colon.
_LABEL = re.compile(r"^\W*(?:\*\*|__)(?P<bold>[^*_]{1,60}?)(?:\*\*|__)|^\W*(?P<plain>[A-Za-z][\w '’/-]{0,40}?):\s")


def label_terms(text: str) -> frozenset[str]:
    """Terms of a sentence's opening label ("**Common**", "Office hours:"), or none."""
    match = _LABEL.match(text)
    label = (match.group("bold") or match.group("plain")) if match else ""
    # a label names a thing ("Office hours"), it is no phrase ("For the Republic of Alvenia")
    if not label or len(label.split()) > LABEL_WORDS or fold(label.split()[0]) in STOP_WORDS:
        return frozenset()
    return frozenset(_terms(label))


#: A paragraph's opening name, after a label ("Teaching assistant: Wilhelmina Tosh, ...").
_PARAGRAPH_OPENER = re.compile(r"^\W*(?:[A-Za-z][\w ]{0,40}:\s*)?((?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]+)")


def referent_names(question: str, referent: str) -> frozenset[str]:
    """For a follow-up about "his" or "her" something, the words of the name the pronoun
    stands for that are no English words ("Hesketh", "Varga"); empty otherwise."""
    if not referent or not PERSON_PRONOUN.search(question):
        return frozenset()
    return frozenset(w for w in words(referent) if not is_word(w) and not w.isdigit())


def opens_with_another_person(paragraph: str, names: frozenset[str]) -> bool:
    """Whether a paragraph opens with the name of a person who is not ``names``."""
    match = _PARAGRAPH_OPENER.match(paragraph) if names else None
    if match is None or not gives_a_person(match.group(1)):
        return False
    own = {w for w in words(match.group(1)) if not is_word(w)}
    return bool(own) and own.isdisjoint(names)


#: "What did he propose?": the speaker is whoever "he" stands for (Resolved.referent).
_ASKS_PRONOUN_SPEAKER = re.compile(
    rf"\b(?i:what (?:else )?(?:did|does|do|has|have|will|would) (?:he|she|they) (?:else )?){_SAYING}")
#: Words in front of a name that are not the name.
_TITLES = NAME_TITLES | frozenset("""the secretary general secretary-general chairman chairwoman chair foreign
un un's sco acting vice deputy his her chief head boss spokesman spokeswoman spokesperson""".split())
_SPEECH = re.compile(
    r"\b(said|says|say|saying|stressed|stresses|noted|notes|pointed|told|tells|urged|urges|called|calls|proposed|"
    r"proposes|announced|announces|expressed|emphasi[sz]ed|declared|remarked|spoke|speech|stated|added|"
    r"pledged|promised|argued|warned|suggested|welcomed|praised|hoped|believes|believed|addressed|according)\b",
    re.IGNORECASE)


def asked_speakers(question: str, referent: str = "") -> list[str]:
    """For "What did NAME say/propose ...?" (or "What priorities did NAME announce?"), the
    name's words (folded); for "What did he say?", those of ``referent`` (the names "he"
    stands for); else []."""
    match = _ASKS_SPEAKER.search(question) or _ASKS_SPEAKER_THING.search(question)
    if match:
        who = match.group("who")
    elif referent and _ASKS_PRONOUN_SPEAKER.search(question):
        who = referent
    else:
        return []
    return [w for w in words(who) if w not in _TITLES and not w.isdigit()]


#: A title saying the document is someone's own words: "Opening Address by President ...",
#: "Xi Jinping speech at the 20th meeting", "Full text of ..."; not a report that someone
#: "delivered an important speech".
_OWN_WORDS = re.compile(r"\b(?:speech|address|remarks|statement|keynote|lecture)\s+(?:by|at|of|to|on|before)\b|"
                        r"\bfull text\b", re.IGNORECASE)
_REPORTS_WORDS = re.compile(r"\b(?:deliver|give|gave|given|make|made)\w*\s+(?:an?\s+|the\s+|his\s+|her\s+)?"
                            r"(?:[a-z-]+\s+)?(?:speech|address|remarks|statement)\b", re.IGNORECASE)


def own_words(title: str) -> bool:
    """Whether a document's title says it is its speaker's own words (``_OWN_WORDS``)."""
    return bool(_OWN_WORDS.search(title)) and not _REPORTS_WORDS.search(title)


def speaker_ok(sentence: str, speakers: list[str], title: str, quoted_here: bool = True) -> bool:
    """A sentence answers "what did NAME say" when its document is by or about NAME
    (the name is in its title paragraph), or when it names NAME saying something.
    A sentence that merely lists NAME among those present says nothing NAME said.
    In a report that quotes NAME, only the paragraphs that do (``voices``) are NAME's
    words (``quoted_here``); the others tell what happened."""
    if not speakers:
        return True
    if any(name in words(title) for name in speakers):
        return quoted_here
    return any(name in words(sentence) for name in speakers) and bool(_SPEECH.search(sentence))


def voices(text: str, speakers: list[str]) -> bool:
    """Whether a text has NAME (or "he", "she") say something: "Xi Jinping stressed that
    ...". "Xi Jinping speech at the meeting" is a title, not Xi saying something."""
    for lo, hi in split_sentences(text):
        sentence = text[lo:hi]
        says = any(m.group().lower() != "speech" for m in _SPEECH.finditer(sentence))
        if says and (_PRONOUN_SPEAKER.match(sentence) or any(name in words(sentence) for name in speakers)):
            return True
    return False


_PRONOUN_SPEAKER = re.compile(r"\W*(he|she)\b", re.IGNORECASE)


#: Answer kinds a document's dateline can answer ("When was the speech given?").
DATED_KINDS = frozenset(["date", "year", "month", "past", "time"])
#: How far into a document its dateline may be (after a title, a byline, a place).
DATELINE_PARAGRAPHS = 6


def dated_in_full(best: Candidate, others: list[Candidate]) -> Candidate | None:
    """For an answer giving a day of a month but no year ("Beijing, November, 10, ..."),
    the best other eligible sentence giving the same day of the same month with a year
    ("(November 10, 2020, Beijing)"), or None."""
    found = words(best.text)
    months = set(months_named(best.text))
    days = {w for w in found if w.isdigit() and 1 <= int(w) <= 31}
    if not months or not days or any(is_year(w) for w in found):
        return None
    for other in others:
        if other is best:
            continue
        theirs = words(other.text)
        if (months & set(months_named(other.text)) and days & set(theirs)
                and any(is_year(w) for w in theirs)):
            return other
    return None


#: The credit or date line of the document a question is about scores this much above the
#: best sentence of any document ("Who wrote the article?" outranks "written by" elsewhere).
HEADER_MARGIN = 0.05
#: A dateline scores this much under its document's best sentence.
DATELINE_DISCOUNT = 0.05


def _topical(weights: dict[str, float], corpus: Corpus, source: str,
             named: frozenset[str] = frozenset()) -> dict[str, float]:
    """Question term weights for scoring a sentence of ``source``: its topic's terms
    (see ``_off_topic``) count for ``TOPIC_WEIGHT`` of theirs, and so do the ``named``
    terms, a name the question gives to some document's topic (``Corpus.named_topics``)."""
    off = {t: w for t, w in _off_topic(weights, corpus, source).items() if t not in named}
    return {t: w if t in off else TOPIC_WEIGHT * w for t, w in weights.items()}


#: Share of a sentence's cosine taken against the question without its document's names
#: (``Corpus.unnamed_queries``); the rest against the question as asked.
UNNAMED_COSINE = 0.75


def _off_topic(weights: dict[str, float], corpus: Corpus, source: str) -> dict[str, float]:
    """Question terms minus the document's topic (its title's terms, and acronyms of
    them): every clause of a report on the SCO is about the SCO, so "SCO" in the
    question does not say which clause answers."""
    topic = set(corpus.title_terms[source])
    topic |= {t for t in weights if t in corpus.acronyms and set(_terms(corpus.acronyms[t])) <= topic}
    return {t: w for t, w in weights.items() if t not in topic}




#: A question about the future, or about when a term or period ends ("When does her time
#: in the job run out?"): a document's dateline (when it was written) cannot answer it.
_FUTURE = re.compile(r"\b(will|shall|going to|due to|next|upcoming|planned|future|run out|runs out|expires?|ends?)\b",
                     re.IGNORECASE)


def datelines(hits: list[Hit], corpus: Corpus, kind: str) -> list[Hit]:
    """Short header paragraphs near the top of the retrieved documents that hold a date
    ("(November 10, 2020, Beijing)"). Retrieval ranks them low, as they share no words
    with the question, yet they say when a speech or report was given."""
    seen = {(h.source, h.paragraph) for h in hits}
    # "Open:" fits "when" but holds no day
    dated = [h for source in dict.fromkeys(h.source for h in hits) if not _dated_sections(corpus, source)
             for h in _headers(corpus, source, kind) if _dated(h.text)]
    return [h for h in dated if (h.source, h.paragraph) not in seen]


def _dated(text: str) -> bool:
    return fits_type(text, "date") or fits_type(text, "year")


#: How far down a document to look for further dated headers (``_dated_sections``).
DATED_SECTIONS_SCAN = 40


def _dated_sections(corpus: Corpus, source: str) -> bool:
    """Whether short dated paragraphs head sections further down the document too
    ("Version 3.0.0 (released 2025-01-20)" in release notes, one per meeting in a set of
    minutes): then the first one dates its own section, not the document, and is no
    dateline for "When did 3.0.0 come out?"."""
    return any(is_fragment(text) and _dated(text)
               for n in range(DATELINE_PARAGRAPHS + 1, DATED_SECTIONS_SCAN + 1)
               if (text := corpus.paragraph_text.get((source, n))) is not None)


def _headers(corpus: Corpus, source: str, kind: str) -> list[Hit]:
    """Short paragraphs near the top of a document (``DATELINE_PARAGRAPHS``: title, byline,
    date line) that hold an answer of ``kind``."""
    texts = ((n, corpus.paragraph_text.get((source, n))) for n in range(1, DATELINE_PARAGRAPHS + 1))
    return [corpus.paragraph_hit((source, n)) for n, text in texts
            if text is not None and is_fragment(text) and fits_type(text, kind)]


def header_lines(hits: list[Hit], corpus: Corpus, question: str, kind: str) -> list[Hit]:
    """The short header paragraphs near the top of the document the question is about
    that hold an answer of ``kind``: its credit line ("by YCPress") for "Who published
    the text?", its date line ("Published Thursday, 14 March 2024") for "When was the
    article published?". Such questions share no word with them, and as headers they rank
    low or not at all. The document is the retrieved one whose title and file name hold
    most of the question's terms ("Who wrote the Xinhua report?", "... the full text of
    the speech?"; a term only a file name holds, "full", weighs as the rarest); of equals,
    the best retrieved that has such a line."""
    asked = set(terms(question))
    rarest = max(corpus.idf.values(), default=1.0)

    def named(source: str) -> float:
        name = set(_terms(f"{corpus.title(source)} {Path(source).stem.replace('_', ' ').replace('-', ' ')}"))
        return sum(corpus.idf.get(t, rarest) for t in asked if t in name)

    scores = {source: named(source) for source in dict.fromkeys(h.source for h in hits)}
    top = max(scores.values(), default=0.0)
    equals = (source for source, score in scores.items() if score == top)
    return next((lines for source in equals if (lines := _headers(corpus, source, kind))), [])


#: Enumerated items added per ordinal question (the documents may hold many lists).
ENUMERATED_ITEMS = 6


def enumerated_items(hits: list[Hit], corpus: Corpus, ordinal: str) -> list[Hit]:
    """Paragraphs of the retrieved documents holding the enumerated item the question
    asks for ("Second, ..."), which retrieval misses when they share no word with it."""
    seen = {(h.source, h.paragraph) for h in hits}
    sources = set(h.source for h in hits)
    keys = [k for k in corpus.enumerations.get(ordinal, []) if k[0] in sources and k not in seen]
    return [corpus.paragraph_hit(key) for key in keys[:ENUMERATED_ITEMS]]


def asked_figures(question: str) -> frozenset[str]:
    """The numbers a question names that its answer's passage must name too: a dotted
    number ("4.0", "3.1.0") or a code of three or more digits ("bug 1490"). Not a year:
    "the 2020 summit" is often the document's own date, which its passages need not repeat;
    not a small number, which may be spelled out ("3 goals", "three goals")."""
    return frozenset(w for w in words(question) if w[0].isdigit()
                     and ("." in w or (len(w) >= 3 and w.isdigit() and not is_year(w))))


#: Kinds of answer that are a quantity: a figure answers only for what its sentence is about.
QUANTITY_KINDS = frozenset(["count", "number", "percent", "money", "weight", "length", "duration", "frequency",
                            "age", "phone"])
_LEADING_PRONOUN = re.compile(r"^\W*(?:it|its|they|their|he|his|she|her|this|these|there)\b", re.IGNORECASE)


def _another_year(named: set[str], years: list[str], source: str, corpus: Corpus) -> bool:
    """Whether a passage (its terms ``named``) is about another year than one the question
    asks of: it names some other year, not that one, and its document gives that one
    elsewhere (so the passage's silence is not about the whole document's year)."""
    return any(year not in named and corpus.mentions(source, year) for year in years) and any(
        is_year(t) and t not in years for t in named)


def asked_years(question: str) -> list[str]:
    """The years a question names ("in 2024"): what its figure or date must be about."""
    return [w for w in dict.fromkeys(words(question)) if is_year(w)]


def lookup_matches(hit: Hit, weights: dict[str, float], corpus: Corpus, question: str) -> bool:
    """Whether a list item can give the figure a question looks up in its list. Where the
    items are "key: value" rows and the question names two or more terms that tell their
    keys apart (held by some keys, not all), the item's key must hold them all: "Child
    (5 to 15 years) single: £1.60" is no answer to "How much is a child return?" when
    "Adult return: £5.50" shows the list keys returns apart. One such term decides
    nothing ("every 6 months" answers "each cartridge" under "Polishing membrane"), and
    terms joined by "and" / "or" are looked up one by one ("When is it open on Saturday
    and on Sunday?"). Any other paragraph can answer."""
    key = (hit.source, hit.paragraph)
    if key not in corpus.lead_of:
        return True
    rows = [corpus.paragraph_text[(hit.source, n)] for n in corpus.lists.get((hit.source, corpus.lead_of[key]), [])]
    return key_matches(hit.text, rows, weights, question)


def key_matches(row: str, rows: list[str], weights: dict[str, float], question: str) -> bool:
    """Whether ``row``, one of a list's or table's ``rows``, can give the figure a question
    looks up (see ``lookup_matches``)."""
    keys = [_row_key(r) for r in rows]
    if not all(keys):
        return True
    telling = {t for t in weights if any(t in k for k in keys) and not all(t in k for k in keys)}
    if len(telling) < LOOKUP_TERMS:
        return True
    asked = words(question)
    at = [i for i, w in enumerate(asked) if stem(w) in telling]
    if len(at) >= 2 and _COORDINATED & set(asked[at[0]:at[-1]]):
        return True
    return telling <= _row_key(row)


#: How many of its key terms a question must name before a list item has to hold them all.
LOOKUP_TERMS = 2
#: Words that join key terms looked up one by one ("on Saturday and on Sunday").
_COORDINATED = frozenset(["and", "or", "vs", "versus"])


def gives_back(text: str, asked: frozenset[str]) -> bool:
    """Whether a list or table row only gives back the question's own words after its key:
    a fact box's "Name | Maren Oakshott" for "How does Maren Oakshott take her coffee?"."""
    row = key_value(text) if list_item_body(text) is not None else None
    value = set(_terms(row[1])) if row else set()
    return bool(value) and value <= asked


def _row_key(text: str) -> set[str]:
    """The terms before the colon of a "key: value" list item ("Adult return: £5.50"), or
    of the first cell of a table row ("- Family (2 adults) | £22.00"); empty for any
    other item."""
    row = key_value(text)
    return set(_terms(row[0])) if row else set()


def unanchored(sentences: list[str], anchors: list[frozenset[str]]) -> set[int]:
    """Sentences of a paragraph that cannot give the figure or date asked for: where some
    sentence names what the question is about ("Her second expedition, to the Chumbi
    Valley ..."), a sentence that names another thing ("The first, in 1893, took her to
    Sikkim ... 1,200 specimens") is about that, unless it follows one that does and opens
    with a pronoun ("It yielded 40 specimens.")."""
    off: set[int] = set()
    for anchor in anchors:
        holding = {i for i, text in enumerate(sentences) if anchor <= set(_terms(text))}
        if not holding:
            continue
        off |= {i for i, text in enumerate(sentences)
                if i not in holding and not (i - 1 in holding and (_LEADING_PRONOUN.match(text)
                                                                   or _refers_back(text, anchor)))}
    return off


_THE_NOUN = re.compile(r"^\W*the\s+([a-z][\w-]*)", re.IGNORECASE)


def _refers_back(text: str, anchor: frozenset[str]) -> bool:
    """Whether a sentence opens by naming the anchor again by one of its words ("... the
    Ferrowick Amateur Rowing Club. The Club was founded in 1887.")."""
    match = _THE_NOUN.match(text)
    return match is not None and stem(match.group(1).lower()) in anchor


def unknown_numbers(question: str, corpus: Corpus) -> list[str]:
    """Numbers of two or more digits in the question that no document contains."""
    return [w for w in words(question) if w.isdigit() and len(w) >= 2 and w not in corpus.postings]

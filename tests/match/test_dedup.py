from newsdesk.match.dedup import DuplicateIndex, Signature, signature

WIRE = """\
Rescue teams in the northern province worked through the night on Tuesday to reach villages
cut off by landslides after three days of torrential rain, the regional governor said.

At least fourteen people were confirmed dead and more than two hundred families were moved to
temporary shelters in school buildings, according to the provincial disaster agency.

The governor told reporters that the main road to the mountain district had been washed away in
two places and that helicopters were being used to carry food, water and medicine to stranded
residents. Engineers expected to reopen one lane of the road by Thursday if the weather allowed.

Forecasters warned that more heavy rain was expected over the weekend, and schools in four
districts will remain closed until further notice. The national government has promised emergency
funds for rebuilding homes and bridges destroyed by the floods."""

SAME_SUBJECT = """\
Heavy rain has caused deadly landslides in the northern province, where villagers describe
watching the hillside give way above their homes in the early hours of Monday morning.

Farmers in the valley said the water rose faster than at any time they could remember, and many
lost their livestock and the rice harvest they had just brought in. Volunteers from nearby towns
arrived with boats to ferry the elderly to higher ground while soldiers cleared debris.

Aid groups appealed for blankets and clean drinking water, saying wells had been contaminated. The
disaster agency has not yet released a full count of the damage, and officials said the toll could
rise as teams reach the most remote settlements in the coming days."""


def test_a_copy_with_a_new_headline_folds_into_the_first() -> None:
    index = DuplicateIndex()
    assert index.add(1, WIRE, "Landslides kill 14 in northern province") is None
    match = index.add(2, WIRE, "Rescuers race to reach cut-off villages")
    assert match is not None and match.original_id == 1 and match.kind == "body"


def test_edited_syndicated_copies_fold() -> None:
    index = DuplicateIndex()
    index.add(1, WIRE, "Landslides kill 14")
    paragraphs = WIRE.split("\n\n")
    cut_ending = "\n\n".join(paragraphs[:3])
    bylined = "By Jane Roe, Valley Herald\n\n" + WIRE + "\n\nSign up for our newsletter today."
    rewritten = "Landslides have killed at least fourteen people.\n\n" + "\n\n".join(paragraphs[1:])
    for article_id, text in ((2, cut_ending), (3, bylined), (4, rewritten)):
        match = index.add(article_id, text, "Another headline")
        assert match is not None, text[:40]
        assert match.original_id == 1 and match.kind == "near"


def test_copies_of_copies_point_at_the_original() -> None:
    index = DuplicateIndex()
    index.add(1, WIRE, "a")
    index.add(2, "By Jane Roe\n\n" + WIRE, "b")
    match = index.add(3, "By John Doe, Wire\n\n" + WIRE + "\n\nAdvertisement", "c")
    assert match is not None and match.original_id == 1


def test_distinct_articles_on_one_subject_do_not_fold() -> None:
    index = DuplicateIndex()
    index.add(1, WIRE, "Landslides kill 14 in northern province")
    assert index.add(2, SAME_SUBJECT, "Landslides kill 14 in northern province") is None


def test_empty_and_short_bodies_do_not_fold_everything_together() -> None:
    index = DuplicateIndex()
    assert index.add(1, "", "Minister resigns") is None
    assert index.add(2, "", "Storm hits coast") is None
    assert index.add(3, "", "Minister resigns") is None  # a headline alone is no proof
    stub = "Subscribe to read the full story."
    assert index.add(4, stub, "Budget passes") is None
    assert index.add(5, stub, "Striker signs for rivals") is None


def test_same_canonical_url_is_one_article() -> None:
    index = DuplicateIndex()
    index.add(1, WIRE, "a", url="https://www.example.com/news/landslides?utm_source=rss")
    match = index.add(2, "", "a", url="http://example.com/news/landslides/")
    assert match is not None and match.original_id == 1 and match.kind == "url"


def test_signatures_round_trip_and_rebuild_the_index() -> None:
    first = DuplicateIndex()
    stored = []
    for article_id, text in ((1, WIRE), (2, SAME_SUBJECT), (3, "By Jane Roe\n\n" + WIRE)):
        sig = signature(text, "headline")
        match = first.add_signature(article_id, sig)
        stored.append((article_id, sig.to_bytes(), match.original_id if match else None))
    assert stored[2][2] == 1

    rebuilt = DuplicateIndex()
    for article_id, data, original in stored:
        rebuilt.add_signature(article_id, Signature.from_bytes(data), original_id=original)
    assert len(rebuilt) == 3
    match = rebuilt.add(4, WIRE + "\n\nRead more: other stories", "new headline")
    assert match is not None and match.original_id == 1
    assert rebuilt.add(5, SAME_SUBJECT.replace("Monday", "Sunday"), "x").original_id == 2


def test_a_bad_signature_is_refused_with_a_clear_error() -> None:
    try:
        Signature.from_bytes(b"\x00" * 7)
    except ValueError as exc:
        assert "signature" in str(exc)
    else:
        raise AssertionError("short bytes were accepted")


def test_minhash_values_are_datasketchs_for_the_same_permutations() -> None:
    # Stored signatures were made with datasketch's MinHash: the vectorised one must agree.
    import numpy as np
    from datasketch import MinHash

    from newsdesk.match.dedup import NUM_PERM, _shingle_hashes
    from newsdesk.match.text import words

    for text in (WIRE, SAME_SUBJECT, WIRE + " extra words at the end", " ".join(WIRE.split()[::2])):
        grams = _shingle_hashes(words(text))
        assert np.array_equal(grams, np.unique(grams))  # sorted and distinct
        sketch = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int)
        sketch.update_batch(grams.tolist())
        expected = (sketch.hashvalues & 0xFFFF).astype(np.uint16)
        assert np.array_equal(signature(text).minhash, expected)


def test_permutations_are_datasketchs() -> None:
    # newsdesk draws datasketch's permutations itself, so a worker need not import datasketch
    import numpy as np
    from datasketch import MinHash

    from newsdesk.match.dedup import NUM_PERM, minhash_permutations

    ours = minhash_permutations(NUM_PERM, seed=1)
    theirs = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int).permutations
    assert all(np.array_equal(mine, other) for mine, other in zip(ours, theirs, strict=True))

"""The revocation list: the bits, their encoding, and the credential that carries them."""

import base64
import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.certificates.status_list import (
    LARGEST_BYTES,
    MINIMUM_SIZE,
    StatusListError,
    bitstring,
    decode,
    encode,
    is_set,
    status_list_credential,
)

# the empty 16 KB list of the specification's own example
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


@given(st.sets(st.integers(min_value=0, max_value=MINIMUM_SIZE - 1)))
def test_decoding_an_encoded_list_gives_back_the_same_indexes(revoked):
    assert decode(encode(revoked)) == revoked


@given(st.sets(st.integers(min_value=0, max_value=MINIMUM_SIZE - 1), max_size=20), st.data())
def test_is_set_agrees_with_decode(revoked, data):
    encoded = encode(revoked)
    index = data.draw(st.one_of(st.sampled_from(sorted(revoked) or [0]), st.integers(0, 999)))
    assert is_set(encoded, index) == (index in revoked)


def test_the_specifications_example_reads_as_an_empty_list_of_the_minimum_size():
    assert len(bitstring(SPEC_EXAMPLE)) * 8 == MINIMUM_SIZE
    assert decode(SPEC_EXAMPLE) == set()


def test_index_zero_is_the_most_significant_bit_of_the_first_byte():
    encoded = encode({0, 9})
    assert encoded.startswith("u")
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert raw[:2] == bytes([0b1000_0000, 0b0100_0000])
    assert len(raw) == MINIMUM_SIZE // 8
    assert "=" not in encoded


def test_the_same_list_always_encodes_the_same():
    assert encode([5, 3]) == encode({3, 5})


@pytest.mark.parametrize("size", [MINIMUM_SIZE - 8, MINIMUM_SIZE + 1])
def test_a_list_below_the_minimum_or_of_part_of_a_byte_is_refused(size):
    with pytest.raises(ValueError, match="at least"):
        encode([], size=size)


@pytest.mark.parametrize("index", [-1, MINIMUM_SIZE])
def test_an_index_outside_the_list_is_refused(index):
    with pytest.raises(ValueError, match="outside"):
        encode([index])
    with pytest.raises(StatusListError, match="outside"):
        is_set(encode([]), index)


def test_a_larger_list_holds_larger_indexes():
    assert decode(encode([MINIMUM_SIZE * 2 - 1], size=MINIMUM_SIZE * 2)) == {MINIMUM_SIZE * 2 - 1}


@pytest.mark.parametrize("encoded", ["H4sI", "u!!!", "u" + "A" * 40, "uH4sIAAAAAAAAA"])
def test_anything_but_a_gzip_base64url_list_is_refused(encoded):
    with pytest.raises(StatusListError):
        decode(encoded)


def test_the_status_list_credential_has_the_specifications_shape():
    url = "https://academy.example.vn/credentials/status/1"
    moment = datetime(2026, 12, 3, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=7)))
    credential = status_list_credential(
        url=url, issuer="did:web:academy.example.vn", encoded=encode({4}), valid_from=moment
    )
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "did:web:academy.example.vn",
        "validFrom": "2026-12-03T02:30:15Z",
        "credentialSubject": {
            "id": url + "#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode({4}),
        },
    }


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        status_list_credential(
            url="u", issuer="i", encoded=encode([]), valid_from=datetime(2026, 1, 1)
        )


def test_valid_until_is_written_when_given():
    start = datetime(2026, 12, 3, tzinfo=UTC)
    credential = status_list_credential(
        url="https://a.example/s", issuer="i", encoded=encode([]), valid_from=start,
        valid_until=start + timedelta(days=1),
    )  # fmt: skip
    assert credential["validUntil"] == "2026-12-04T00:00:00Z"


def test_a_list_that_inflates_beyond_the_limit_is_refused_without_inflating_it_all():
    huge = gzip.compress(bytes(LARGEST_BYTES + 8), mtime=0)
    encoded = "u" + base64.urlsafe_b64encode(huge).rstrip(b"=").decode()
    with pytest.raises(StatusListError, match="larger"):
        decode(encoded)

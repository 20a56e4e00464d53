"""One module per lesson (l05 for lesson 05, l02b for 02b): `QUIZ`, its questions with answer keys,
and `EXERCISES`, its auto-checked exercises (id "05.top_p" -> l05.EXERCISES["top_p"])."""

"""Plain English sentences a learner might type, labelled by hand: the offline sentiment model's
acceptance test (issue 15: at least 90 % right; tests/test_sentiment_model.py, and
benchmarks/bench_sentiment.py reports the count). Written for the course, not tweets: 13 per class,
each unambiguous to a person.
"""
from __future__ import annotations

PLAIN = [
    ("I love this phone, it is wonderful.", "positive"), ("What a great day, I am so happy!", "positive"),
    ("This is the best movie I have ever seen.", "positive"), ("Thank you so much, you are amazing.", "positive"),
    ("The food was delicious and the staff were friendly.", "positive"),
    ("I really enjoyed the concert last night.", "positive"),
    ("Congratulations on your new job, well deserved!", "positive"),
    ("This book is fantastic, I could not put it down.", "positive"),
    ("Excellent service, I will definitely come back.", "positive"), ("I am excited about the trip next week!", "positive"),
    ("The new update works perfectly, great job.", "positive"), ("She did a brilliant job on the presentation.", "positive"),
    ("Such a lovely surprise, it made my day.", "positive"),
    ("I hate it.", "negative"), ("I don't like this at all.", "negative"),
    ("This is the worst phone I ever bought.", "negative"), ("The service was terrible and the food was cold.", "negative"),
    ("I am so disappointed with this product.", "negative"), ("What a waste of money, it broke after one day.", "negative"),
    ("This movie was boring and far too long.", "negative"), ("My flight was cancelled again, this is awful.", "negative"),
    ("I feel sad and tired today.", "negative"), ("The app keeps crashing, so annoying.", "negative"),
    ("Horrible experience, never going back.", "negative"), ("The customer support was rude and useless.", "negative"),
    ("I am angry that nobody answered my emails.", "negative"),
    ("The meeting is at 3 pm on Tuesday.", "neutral"), ("The store opens at nine in the morning.", "neutral"),
    ("The train leaves from platform four.", "neutral"), ("I am reading the report now.", "neutral"),
    ("The package will arrive on Monday.", "neutral"), ("Paris is the capital of France.", "neutral"),
    ("The weather forecast says it will rain tomorrow.", "neutral"), ("He moved to a new apartment last month.", "neutral"),
    ("The book has twelve chapters.", "neutral"), ("Please send me the file by email.", "neutral"),
    ("The game starts at 8 pm tonight.", "neutral"), ("We are having a meeting about the budget.", "neutral"),
    ("The museum is closed on Mondays.", "neutral"),
]

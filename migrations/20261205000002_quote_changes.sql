-- "Ask for changes" on a quote: the customer's message says which version it is about.
ALTER TABLE messages ADD COLUMN quote_version INT;

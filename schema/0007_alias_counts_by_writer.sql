-- An alias's count of the documents that give it is kept by the writer when it stores a document.
--
-- The trigger did it row by row: for each alias of each stored document, an insert into
-- alias_sources ran a trigger program that looked the alias up again to add one. The writer now
-- stores each alias of a document once, adding one to its count as it inserts or finds it, and then
-- its source row. Removing a document still takes its counts back through the delete trigger.
DROP TRIGGER alias_sources_insert;

-- The BRP address periods of every registered person, keyed by the person's pseudonym in the
-- sociaal domain. This is the one place where a sociaal BSN meets the BRP: through the declared link
-- basis–sociaal, and only through the BRP's own BSNs (the pairs the BRP load wrote). The social
-- models join their records to it on the sociaal pseudonym; no basis identifier leaves this model.
select
  l.pseudonym_sociaal as bsn,
  p.buurtcode,
  p.wijkcode,
  p.geboortejaar,
  p.datum_vestiging,
  p.datum_vertrek
from (
  select distinct pseudonym_basis, pseudonym_sociaal
  from link('basis', 'sociaal')
  where source = 'personen' and column_name = 'bsn'
) l
join ref('personen_historie') p on p.bsn = l.pseudonym_basis

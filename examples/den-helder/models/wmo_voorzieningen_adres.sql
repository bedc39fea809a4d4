-- Wmo maatwerkvoorzieningen at the address of the client: one row per provision per address
-- period, running from datum_van up to (not including) datum_tot — the overlap of the provision
-- (startdatum … einddatum) with the client's BRP address period.
--
-- The sociaal BSN meets the BRP only through sociaal_adresperioden (the declared link basis–sociaal); no identifier leaves this model, and
-- neither does the kind of provision (health data): the indicators count provisions, not kinds.
select
  p.buurtcode,
  p.wijkcode,
  p.geboortejaar,
  greatest(w.startdatum, p.datum_vestiging) as datum_van,
  least(w.einddatum, p.datum_vertrek) as datum_tot
from ref('wmo_voorzieningen') w
join ref('sociaal_adresperioden') p on p.bsn = w.bsn
where (w.einddatum is null or w.einddatum > p.datum_vestiging)
  and (p.datum_vertrek is null or p.datum_vertrek > w.startdatum)

-- Bijstand (Participatiewet) at the address of the recipient: one row per benefit per address
-- period, running from datum_van up to (not including) datum_tot — the overlap of the benefit
-- (ingangsdatum … einddatum) with the recipient's BRP address period, so a benefit counts in the
-- buurt where its recipient lived on the day that is counted. Benefits of people not registered in
-- the municipality on that day do not count.
--
-- The sociaal domain pseudonymises the BSN with another key than basis: the two meet only through
-- the declared link basis–sociaal (purpose beleidsinformatie, FG 2025-02-01), and only through the
-- BRP's own BSNs. No identifier of either domain leaves this model.
select
  p.buurtcode,
  p.wijkcode,
  p.geboortejaar,
  b.regeling,
  greatest(b.ingangsdatum, p.datum_vestiging) as datum_van,
  least(b.einddatum, p.datum_vertrek) as datum_tot,
  -- the start of the benefit, on the row of the address where it started (inflow)
  case when b.ingangsdatum >= p.datum_vestiging then b.ingangsdatum end as datum_instroom
from ref('bijstand') b
join ref('sociaal_adresperioden') p on p.bsn = b.bsn
where (b.einddatum is null or b.einddatum > p.datum_vestiging)
  and (p.datum_vertrek is null or p.datum_vertrek > b.ingangsdatum)

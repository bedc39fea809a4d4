-- Early-warning signals of payment arrears (vroegsignalen: housing corporation, energy, water,
-- health insurer), at the address where the debtor was registered in the BRP on the signal date.
-- Signals about someone not registered in the municipality that day (or with a BSN the BRP does not
-- know) do not count. The sociaal BSN meets the BRP only through the declared link basis–sociaal
-- (purpose beleidsinformatie), and only through the BRP's own BSNs; no identifier and no amount
-- (financial data) leaves this model.
select
  p.buurtcode,
  p.wijkcode,
  v.partner_type,
  v.signaaldatum
from ref('vroegsignalen') v
join ref('sociaal_adresperioden') p
  on p.bsn = v.bsn
  and p.datum_vestiging <= v.signaaldatum
  and (p.datum_vertrek is null or p.datum_vertrek > v.signaaldatum)

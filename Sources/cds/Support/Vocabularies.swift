import ArgumentParser
import CDSCore

// The core's vocabularies as option values: parsed from their codes, and `--help` lists
// `allValueStrings`, the codes of the core's own `allCases` (no list is copied here).

extension Locale: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}
extension Gender: ExpressibleByArgument {}
extension OrganizationKind: ExpressibleByArgument {}
extension ConsentPurpose: ExpressibleByArgument {}
extension TerritoryLevel: ExpressibleByArgument {}
extension Stage: ExpressibleByArgument {}
extension Period: ExpressibleByArgument {}
extension ResourceKind: ExpressibleByArgument {}
extension QuantityUnit: ExpressibleByArgument {}
extension ImportEntity: ExpressibleByArgument {}
extension DateStyle: ExpressibleByArgument {}
extension WorkMode: ExpressibleByArgument {}
extension NeedStatus: ExpressibleByArgument {}
extension OfferStatus: ExpressibleByArgument {}
extension ContributionStatus: ExpressibleByArgument {}
extension InteractionKind: ExpressibleByArgument {}

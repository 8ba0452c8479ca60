@testable import CDSStore
import Testing

/// When the live matcher rebuilds its base (LiveMatching.swift).
@Suite struct LiveMatcherRebuildTests {
    @Test("the base is rebuilt past the option's number of changed offers, or a 256th of the offers when that is more, never past half of the changes a read compacts at")
    func theRebuildThresholdGrowsWithTheOffersUpToHalfTheCompactionLimit() {
        let matcher = LiveMatcher(rebuildAfter: 64)
        #expect(matcher.rebuildAfter(offers: 1_000) == 64)
        #expect(matcher.rebuildAfter(offers: 100_000) == 390)
        #expect(matcher.rebuildAfter(offers: 10_000_000) == LiveMatcher.maxChangedOffers / 2)
        #expect(matcher.rebuildAfter(needs: 1_000) == 16)
        #expect(matcher.rebuildAfter(needs: 10_000) == 39)
        #expect(matcher.rebuildAfter(needs: 1_000_000) == LiveMatcher.maxChangedNeeds / 2)
        #expect(LiveMatcher(rebuildAfter: 500).rebuildAfter(offers: 100_000) == 500)
    }
}

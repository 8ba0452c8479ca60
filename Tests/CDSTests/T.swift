import Testing
import CDSC
@Test func placeholder2() { #expect(1 == 1) }

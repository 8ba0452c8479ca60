/// A binary min-heap: the allocator's Dijkstra frontier and the top-k's k best so far.
struct MinHeap<Element: Comparable> {
    private(set) var items: [Element] = []

    /// How many elements it holds.
    var count: Int { items.count }
    /// The smallest element.
    var min: Element? { items.first }

    mutating func reserve(_ n: Int) { items.reserveCapacity(n) }
    mutating func clear() { items.removeAll(keepingCapacity: true) }

    mutating func push(_ e: Element) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if items[p] <= items[i] { break }
            items.swapAt(p, i)
            i = p
        }
    }

    /// Removes and answers the smallest element.
    mutating func pop() -> Element? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            siftDown()
        }
        return top
    }

    /// Puts `e` in place of the smallest element (the heap is not empty).
    mutating func replaceMin(_ e: Element) {
        items[0] = e
        siftDown()
    }

    private mutating func siftDown() {
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count, items[l] < items[m] { m = l }
            if r < items.count, items[r] < items[m] { m = r }
            if m == i { break }
            items.swapAt(i, m)
            i = m
        }
    }
}

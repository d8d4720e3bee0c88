/// A binary min-heap of (key, vertex) for Dijkstra-style searches. Stale
/// entries are skipped by the caller (lazy deletion): cheaper than a
/// decrease-key structure on graphs of road degree.
///
/// One array of pairs, sifted through a hole and worked on through its
/// buffer: two arrays swapped element by element spent a sixth of a
/// hierarchy build checking their uniqueness (profile of a 150×150 grid).
struct MinHeap {
    private struct Entry {
        var key: Double
        var value: Int32
    }

    private var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var minimumKey: Double { entries.first?.key ?? .infinity }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
    }

    mutating func push(_ key: Double, _ value: Int32) {
        let entry = Entry(key: key, value: value)
        entries.append(entry)
        entries.withUnsafeMutableBufferPointer { heap in
            var hole = heap.count - 1
            while hole > 0 {
                let parent = (hole - 1) / 2
                guard heap[parent].key > key else { break }
                heap[hole] = heap[parent]
                hole = parent
            }
            heap[hole] = entry
        }
    }

    mutating func pop() -> (key: Double, value: Int32)? {
        guard let top = entries.first else { return nil }
        let last = entries.removeLast()
        entries.withUnsafeMutableBufferPointer { heap in
            guard !heap.isEmpty else { return }
            var hole = 0
            while true {
                let left = 2 * hole + 1
                guard left < heap.count else { break }
                let right = left + 1
                let smaller = right < heap.count && heap[right].key < heap[left].key ? right : left
                guard heap[smaller].key < last.key else { break }
                heap[hole] = heap[smaller]
                hole = smaller
            }
            heap[hole] = last
        }
        return (top.key, top.value)
    }
}

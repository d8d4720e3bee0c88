/// A binary min-heap of (key, vertex) for Dijkstra-style searches. Stale
/// entries are skipped by the caller (lazy deletion): cheaper than a
/// decrease-key structure on graphs of road degree.
struct MinHeap {
    private var keys: [Double] = []
    private var values: [Int32] = []

    var isEmpty: Bool { keys.isEmpty }
    var minimumKey: Double { keys.first ?? .infinity }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    mutating func push(_ key: Double, _ value: Int32) {
        keys.append(key)
        values.append(value)
        var child = keys.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard keys[parent] > keys[child] else { break }
            keys.swapAt(parent, child)
            values.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> (key: Double, value: Int32)? {
        guard let key = keys.first else { return nil }
        let value = values[0]
        let lastKey = keys.removeLast()
        let lastValue = values.removeLast()
        if !keys.isEmpty {
            keys[0] = lastKey
            values[0] = lastValue
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < keys.count else { break }
                let right = left + 1
                let smaller = right < keys.count && keys[right] < keys[left] ? right : left
                guard keys[smaller] < keys[parent] else { break }
                keys.swapAt(parent, smaller)
                values.swapAt(parent, smaller)
                parent = smaller
            }
        }
        return (key, value)
    }
}

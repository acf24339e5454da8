"""Word embeddings the way the word2vec basics tutorial trained them, shrunk: an embedding matrix
looked up with `embedding_lookup`, a full softmax over a tiny vocabulary (sparse labels),
Adagrad, then cosine similarities from `l2_normalize` and the nearest words by `top_k`."""

import engine as tf
import numpy as np

VOCAB, EMBED, BATCH, STEPS = 12, 5, 16, 20


def skip_gram_pairs(rng):
    corpus = rng.randint(0, VOCAB, size=200)
    centers, contexts = corpus[1:-1], np.where(rng.rand(198) < 0.5, corpus[:-2], corpus[2:])
    return centers.astype(np.int32), contexts.astype(np.int64)


def main():
    rng = np.random.RandomState(14)
    centers, contexts = skip_gram_pairs(rng)
    train_inputs = tf.placeholder(tf.int32, shape=[BATCH])
    train_labels = tf.placeholder(tf.int64, shape=[BATCH])

    embeddings = tf.Variable(rng.uniform(-1.0, 1.0, (VOCAB, EMBED)).astype(np.float32), name="embeddings")
    embed = tf.nn.embedding_lookup(embeddings, train_inputs)
    softmax_weights = tf.Variable((rng.randn(EMBED, VOCAB) / np.sqrt(EMBED)).astype(np.float32))
    softmax_biases = tf.Variable(tf.zeros([VOCAB]))
    logits = tf.matmul(embed, softmax_weights) + softmax_biases
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=train_labels, logits=logits))
    optimizer = tf.train.AdagradOptimizer(0.5).minimize(loss)

    normalized_embeddings = tf.nn.l2_normalize(embeddings, 1)
    valid = tf.constant([0, 3, 7], dtype=tf.int32)
    valid_embeddings = tf.nn.embedding_lookup(normalized_embeddings, valid)
    similarity = tf.matmul(valid_embeddings, normalized_embeddings, transpose_b=True)
    nearest = tf.nn.top_k(similarity, k=3)

    out = {"loss": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(STEPS):
            start = (step * BATCH) % (len(centers) - BATCH)
            feed = {train_inputs: centers[start:start + BATCH], train_labels: contexts[start:start + BATCH]}
            _, step_loss = sess.run([optimizer, loss], feed_dict=feed)
            out["loss"].append(step_loss)
        out["similarity"], out["nearest"] = sess.run([similarity, nearest.indices])
        out["embedding_row_norms"] = np.linalg.norm(sess.run(embeddings), axis=1)
    out["embed_static_shape"] = embed.get_shape().as_list()
    return out

package com.triageassistant.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

import org.springframework.data.repository.CrudRepository;

/**
 * The parts of Spring Data's {@link CrudRepository} contract that follow from save, find and delete by id, so the
 * SQL repositories ACSB needs write only those.
 */
abstract class SqlCrudRepository<T, ID> implements CrudRepository<T, ID> {

    protected abstract ID idOf(T entity);

    @Override
    public <S extends T> Iterable<S> saveAll(Iterable<S> entities) {
        List<S> saved = new ArrayList<>();
        entities.forEach(entity -> saved.add(save(entity)));
        return saved;
    }

    @Override
    public boolean existsById(ID id) {
        return findById(id).isPresent();
    }

    @Override
    public Iterable<T> findAllById(Iterable<ID> ids) {
        return StreamSupport.stream(ids.spliterator(), false).map(this::findById).flatMap(Optional::stream).toList();
    }

    @Override
    public void delete(T entity) {
        deleteById(idOf(entity));
    }

    @Override
    public void deleteAllById(Iterable<? extends ID> ids) {
        ids.forEach(this::deleteById);
    }

    @Override
    public void deleteAll(Iterable<? extends T> entities) {
        entities.forEach(this::delete);
    }
}
